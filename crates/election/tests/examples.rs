//! Data-driven worked examples: for each `examples/NAME.toml` + `NAME.csv`,
//! either `NAME.json` (the expected contract JSON) or `NAME.err` (a
//! substring of the expected error message).

use std::path::Path;

#[test]
fn worked_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    let (mut ok, mut bad) = (0, 0);
    for toml_path in &names {
        let name = toml_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let toml = std::fs::read_to_string(toml_path).unwrap();
        let csv = std::fs::read(toml_path.with_extension("csv")).unwrap();
        let result = vanban_election::parse_election(&toml)
            .and_then(|e| vanban_election::count_csv(&e, &csv));
        let err_path = toml_path.with_extension("err");
        if err_path.exists() {
            let want = std::fs::read_to_string(&err_path).unwrap();
            let err = result.expect_err(&name).to_string();
            assert!(
                err.contains(want.trim()),
                "{name}: error `{err}` lacks `{}`",
                want.trim()
            );
            bad += 1;
        } else {
            let want: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(toml_path.with_extension("json")).unwrap(),
            )
            .unwrap();
            let got =
                serde_json::to_value(result.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
            assert_eq!(got, want, "{name}");
            ok += 1;
        }
    }
    assert!(ok >= 15, "only {ok} worked examples");
    assert!(bad >= 10, "only {bad} bad-input examples");
}
