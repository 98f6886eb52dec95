//! Input discovery and reading: files, directories (recursively, in name
//! order), and standard input. Every problem becomes a message that names the
//! path and says what to do; nothing here is fatal for the other inputs.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One text to process.
pub struct Input {
    /// The path as given (or as found under a given directory); `-` for stdin.
    pub display: String,
    source: Source,
}

enum Source {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// Reads the whole input. The error message names the input.
    pub fn read(&self) -> Result<Vec<u8>, String> {
        match &self.source {
            Source::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin().lock().read_to_end(&mut buf).map_err(|e| {
                    format!("-: không đọc được đầu vào chuẩn (cannot read standard input: {e})")
                })?;
                Ok(buf)
            }
            Source::File(path) => std::fs::read(path).map_err(|e| read_error(&self.display, &e)),
        }
    }

    /// Reads the whole input into `buf`, reusing its allocation, and returns
    /// the bytes read: one `open` and two `read`s for a file that fits,
    /// no allocation once the buffer has grown to the largest input so far.
    /// The error message names the input.
    pub fn read_into<'b>(&self, buf: &'b mut ReadBuf) -> Result<&'b [u8], String> {
        match &self.source {
            Source::Stdin => buf.fill(&mut std::io::stdin().lock()).map_err(|e| {
                format!("-: không đọc được đầu vào chuẩn (cannot read standard input: {e})")
            }),
            Source::File(path) => std::fs::File::open(path)
                .and_then(|mut file| buf.fill(&mut file))
                .map_err(|e| read_error(&self.display, &e)),
        }
    }
}

/// A read buffer reused from one input to the next (see [`Input::read_into`]).
/// It holds at most about twice the largest input read through it.
#[derive(Default)]
pub struct ReadBuf {
    /// Initialised storage; only `data[..len]` is the current input.
    data: Vec<u8>,
    len: usize,
}

impl ReadBuf {
    /// Smallest storage, enough for most single articles in one `read`.
    const MIN: usize = 64 * 1024;

    fn fill(&mut self, reader: &mut dyn Read) -> std::io::Result<&[u8]> {
        self.len = 0;
        loop {
            if self.len == self.data.len() {
                let grow = self.data.len().max(Self::MIN);
                self.data.resize(self.data.len() + grow, 0);
            }
            match reader.read(&mut self.data[self.len..]) {
                Ok(0) => return Ok(&self.data[..self.len]),
                Ok(n) => self.len += n.min(self.data.len() - self.len),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

fn read_error(display: &str, e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let hint = match e.kind() {
        NotFound => "không có tệp này (no such file); kiểm tra đường dẫn",
        PermissionDenied => "không có quyền đọc (permission denied); kiểm tra quyền của tệp",
        IsADirectory => "đây là một thư mục (it is a directory)",
        _ => "kiểm tra đó có phải một tệp đọc được không",
    };
    format!("{display}: không đọc được (cannot read: {e}): {hint}")
}

/// File extensions read when walking a directory.
pub const TEXT_EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// Calls `emit` for every input in order: each path as given, directories
/// expanded recursively in name order. Stops early when `emit` returns false.
pub fn walk_inputs(paths: &[String], emit: &mut dyn FnMut(Result<Input, String>) -> bool) {
    let mut stdin_used = false;
    for given in paths {
        if given == "-" {
            if stdin_used {
                if !emit(Err(
                    "-: đầu vào chuẩn chỉ đọc được một lần (standard input can be read only once); chỉ ghi `-` một lần"
                        .into(),
                )) {
                    return;
                }
                continue;
            }
            stdin_used = true;
            if !emit(Ok(Input {
                display: "-".into(),
                source: Source::Stdin,
            })) {
                return;
            }
            continue;
        }
        let path = PathBuf::from(given);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if !walk_dir(&path, given, emit) {
                    return;
                }
            }
            Ok(_) => {
                if !emit(Ok(Input {
                    display: given.clone(),
                    source: Source::File(path),
                })) {
                    return;
                }
            }
            Err(e) => {
                if !emit(Err(read_error(given, &e))) {
                    return;
                }
            }
        }
    }
}

/// Depth-first, name-ordered walk without recursion (deep trees cannot
/// overflow the stack); symbolic-link loops are visited once.
fn walk_dir(
    root: &Path,
    root_display: &str,
    emit: &mut dyn FnMut(Result<Input, String>) -> bool,
) -> bool {
    let mut seen = HashSet::new();
    // Stack of directories still to list, in reverse order of visiting.
    let mut stack: Vec<(PathBuf, String)> = vec![(
        root.to_path_buf(),
        root_display.trim_end_matches('/').to_owned(),
    )];
    while let Some((dir, display)) = stack.pop() {
        if let Ok(canonical) = std::fs::canonicalize(&dir) {
            if !seen.insert(canonical) {
                continue;
            }
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                if !emit(Err(format!(
                    "{display}/: không liệt kê được thư mục (cannot list the directory: {e}); kiểm tra quyền của thư mục"
                ))) {
                    return false;
                }
                continue;
            }
        };
        let mut names: Vec<(String, PathBuf, Option<std::fs::FileType>)> = entries
            .filter_map(Result::ok)
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.path(),
                    e.file_type().ok(),
                )
            })
            .collect();
        names.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let mut subdirs = Vec::new();
        for (name, path, file_type) in names {
            let child_display = if display.is_empty() {
                name.clone()
            } else {
                format!("{display}/{name}")
            };
            // The entry's own type costs no system call; only a symbolic
            // link is followed to learn what it points to.
            let is_dir = match file_type {
                Some(t) if !t.is_symlink() => t.is_dir(),
                _ => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
            };
            if is_dir {
                subdirs.push((path, child_display));
            } else if has_text_extension(&name)
                && !emit(Ok(Input {
                    display: child_display,
                    source: Source::File(path),
                }))
            {
                return false;
            }
        }
        // Files of a directory come before its subdirectories; subdirectories
        // in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    true
}

fn has_text_extension(name: &str) -> bool {
    // (ASCII case folding keeps byte positions: no lower-case copy needed.)
    name.rsplit_once('.').is_some_and(|(_, e)| {
        TEXT_EXTENSIONS
            .iter()
            .any(|ext| e.eq_ignore_ascii_case(ext))
    })
}

/// Why `bytes` is not a text file (the watcher's check, shared), alone or
/// with the UTF-8 check of the whole input.
pub use vanban_watch::{check_text, not_text};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_text_are_told_apart() {
        assert!(not_text(b"").is_none());
        assert!(not_text("Quy định số 126-QĐ/TW".as_bytes()).is_none());
        assert!(not_text(b"\x7fELF\x02\x01\x01\x00\x00").is_some());
        assert!(not_text(&[0xff; 200]).is_some());
        let mut mostly_text = "Nghị quyết ".repeat(20).into_bytes();
        mostly_text.push(0xff);
        assert!(not_text(&mostly_text).is_none());
        for bytes in [
            &b""[..],
            "Quy định số 126-QĐ/TW".as_bytes(),
            b"\x7fELF\x02\x01\x01\x00\x00",
            &[0xff; 200],
            &mostly_text,
            b"a\x00b",
        ] {
            let checked = check_text(bytes);
            assert_eq!(checked.err(), not_text(bytes));
            assert_eq!(
                matches!(checked, Ok(Some(_))),
                std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
            );
        }
    }

    #[test]
    fn extensions() {
        assert!(has_text_extension("a.TXT"));
        assert!(has_text_extension("b.htm"));
        assert!(!has_text_extension("c.pdf"));
        assert!(!has_text_extension("txt"));
    }
}
