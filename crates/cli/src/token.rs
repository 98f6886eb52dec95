//! `vanban token`: API tokens for the web application's writes (mã truy
//! cập). The token is printed once; the store keeps only its SHA-256.

use crate::kb::StoreArgs;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token named NAME and print it once (a token of that name is
    /// replaced). Send it as `Authorization: Bearer TOKEN`.
    Create {
        /// Who or what the token is for, e.g. `crawler` or `nguyen-van-a`.
        name: String,
    },
    /// List the tokens' names and creation times (never the tokens).
    List,
}

pub fn run(cmd: TokenCommand, store: &StoreArgs) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create { name } => {
            let name = name.trim();
            if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
                anyhow::bail!(
                    "tên mã truy cập không hợp lệ (invalid token name): give a short name on one line, e.g. `vanban token create crawler`"
                );
            }
            let mut s = store.open_store()?;
            let token = vanban_server::auth::generate()?;
            s.backend()
                .put_token(name, &vanban_server::auth::hash(&token))?;
            eprintln!(
                "Đã tạo mã truy cập “{name}”. Hãy lưu lại: mã chỉ hiện một lần.\n\
                 Token “{name}” created; store it now, it is shown only once.\n\
                 Use it as: curl -H 'Authorization: Bearer TOKEN' …"
            );
            outln!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List => {
            let Some(mut s) = store.open_existing_store()? else {
                anyhow::bail!(crate::kb::no_store_message(store));
            };
            let tokens = s.backend().tokens()?;
            if tokens.is_empty() {
                outln!("Chưa có mã truy cập nào (no tokens): create one with `vanban token create NAME`.");
            }
            for t in tokens {
                outln!("{}\t{}", t.name, t.created);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
