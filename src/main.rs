//! The `connectql` binary: the shell (the `connectql` library of
//! `crates/connectql-shell`) with the local Connect endpoint
//! (`crates/connectql-emulator`) plugged in. Only this target links both, so
//! changing the endpoint rebuilds the endpoint and this, never the shell.

use std::io;

use clap::{Args, FromArgMatches};
use connectql::cli::{BoxFuture, DemoEndpoint, LocalEndpoint};
use connectql_emulator::EmulatorArgs;

fn main() {
    std::process::exit(connectql::cli::main(&Emulator));
}

/// `connectql emulator` and `--demo`: the endpoint of `connectql-emulator`.
struct Emulator;

impl LocalEndpoint for Emulator {
    fn subcommand(&self) -> clap::Command {
        // The about after the flags: `augment_args` sets the struct's own.
        EmulatorArgs::augment_args(clap::Command::new("emulator"))
            .about("Run the local Connect endpoint (REST-JSON, state per account and region, fault injection)")
            .long_about(None)
    }

    fn serve(&self, args: &clap::ArgMatches) -> BoxFuture<'static, io::Result<()>> {
        let args = EmulatorArgs::from_arg_matches(args);
        Box::pin(async move {
            let args = args.map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            connectql_emulator::serve(args).await
        })
    }

    fn start_demo(&self) -> BoxFuture<'static, io::Result<DemoEndpoint>> {
        Box::pin(async {
            let running = connectql_emulator::start(EmulatorArgs {
                demo_data: true,
                ..EmulatorArgs::default()
            })
            .await?;
            Ok(DemoEndpoint {
                url: running.url(),
                shutdown: Box::pin(running.shutdown()),
            })
        })
    }
}
