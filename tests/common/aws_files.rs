//! A throw-away AWS config for the endpoint's demo accounts
//! (`--demo-accounts`): `demo-dev` and `demo-prod`, each with its account's
//! access key (dev in us-east-1, prod in us-east-1 or the region given), and
//! `broken`, whose credentials cannot be had. Included by `#[path]` where
//! needed.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use connectql_emulator::{DEMO_DEV_KEY, DEMO_PROD_KEY, DEMO_SECRET_KEY};

pub struct AwsFiles {
    pub dir: PathBuf,
}

impl AwsFiles {
    /// Both profiles in us-east-1.
    pub fn new(name: &str) -> AwsFiles {
        AwsFiles::with_prod_region(name, "us-east-1")
    }

    /// demo-prod's default region `prod_region`.
    pub fn with_prod_region(name: &str, prod_region: &str) -> AwsFiles {
        let dir =
            std::env::temp_dir().join(format!("connectql-aws-files-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join("config"),
            format!(
                "[profile demo-dev]\nregion = us-east-1\n\n[profile demo-prod]\nregion = {prod_region}\n\n\
                 [profile broken]\nregion = us-east-1\ncredential_process = /bin/false\n"
            ),
        )
        .expect("config");
        std::fs::write(
            dir.join("credentials"),
            format!(
                "[demo-dev]\naws_access_key_id = {DEMO_DEV_KEY}\naws_secret_access_key = {DEMO_SECRET_KEY}\n\n\
                 [demo-prod]\naws_access_key_id = {DEMO_PROD_KEY}\naws_secret_access_key = {DEMO_SECRET_KEY}\n"
            ),
        )
        .expect("credentials");
        AwsFiles { dir }
    }

    /// Points a command at these files (the environment's keys stay the
    /// session's credentials: the endpoint's default account).
    pub fn apply<'c>(&self, c: &'c mut Command) -> &'c mut Command {
        c.env("AWS_CONFIG_FILE", self.dir.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.join("credentials"))
    }
}

impl Drop for AwsFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
