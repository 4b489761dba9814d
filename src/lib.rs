//! connectql (crate docs written later)
pub mod emulator;
