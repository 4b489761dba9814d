//! The `connectql` binary: the shell (the `connectql` library of
//! `crates/connectql-shell`) with the local Connect endpoint
//! (`crates/connectql-emulator`) plugged in. Only this target links both, so
//! changing the endpoint rebuilds the endpoint and this, never the shell.

use std::io;

use clap::{Args, FromArgMatches};
use connectql::cli::{BoxFuture, DemoEndpoint, DemoProfile, LocalEndpoint};
use connectql_emulator::{EmulatorArgs, DEMO_DEV_KEY, DEMO_PROD_KEY, DEMO_SECRET_KEY};

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
                demo_accounts: true,
                ..EmulatorArgs::default()
            })
            .await?;
            // The two demo accounts, chosen by access key.
            let profile = |name: &str, key: &str| DemoProfile {
                name: name.to_string(),
                access_key_id: key.to_string(),
                secret_access_key: DEMO_SECRET_KEY.to_string(),
                region: "us-east-1".to_string(),
            };
            Ok(DemoEndpoint {
                url: running.url(),
                profiles: vec![
                    profile("demo-dev", DEMO_DEV_KEY),
                    profile("demo-prod", DEMO_PROD_KEY),
                ],
                shutdown: Box::pin(running.shutdown()),
            })
        })
    }
}
