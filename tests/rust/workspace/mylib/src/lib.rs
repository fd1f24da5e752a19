//! The workspace's library: uses a registry crate (regex) and the build script's output.

use regex::Regex;

/// Set by build.rs through `cargo:rustc-env`.
pub const GREETING: &str = env!("MYLIB_GREETING");

/// Unset in a normal build; a test sets it to check that a change of it is a cache miss.
pub const FLAVOUR: Option<&str> = option_env!("SCCACHE_TEST_FLAVOUR");

/// True only when build.rs ran and passed `--cfg mylib_built`.
pub fn built_by_script() -> bool {
    #[cfg(mylib_built)]
    return true;
    #[cfg(not(mylib_built))]
    return false;
}

/// The lowercase words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    let word = Regex::new(r"[a-z]+").expect("a valid pattern");
    word.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(words("Cache rustc, 2 times!"), ["ache", "rustc", "times"]);
    }

    #[test]
    fn build_script_ran() {
        assert!(built_by_script());
        assert_eq!(GREETING, "hello");
    }
}
