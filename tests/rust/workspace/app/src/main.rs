//! Prints one JSON line made from mylib's constants, so a test can check that what it built runs:
//! {"greeting":"hello","built":true,"flavour":null,"words":["sccache","caches","rustc"]}

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Report {
    greeting: String,
    built: bool,
    flavour: Option<String>,
    words: Vec<String>,
}

fn main() {
    let report = Report {
        greeting: mylib::GREETING.to_string(),
        built: mylib::built_by_script(),
        flavour: mylib::FLAVOUR.map(str::to_string),
        words: mylib::words("sccache caches rustc"),
    };
    let line = serde_json::to_string(&report).expect("serialisable");
    let back: Report = serde_json::from_str(&line).expect("round trip");
    assert_eq!(back, report);
    println!("{}", line);
}
