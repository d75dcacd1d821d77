//! The `bantin` command; everything lives in the library.

fn main() -> std::process::ExitCode {
    bantin::cli::main()
}
