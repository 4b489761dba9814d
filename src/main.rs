//! The `connectql` binary: everything lives in the library; see `connectql::cli`.

fn main() {
    std::process::exit(connectql::cli::main());
}
