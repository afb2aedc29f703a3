//! Wire tests against code generated from Twilio's official specs; run by
//! `cargo xtask corpus` inside its scratch workspace (see xtask/src/corpus.rs).
