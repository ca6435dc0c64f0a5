//! Collects the documentation of this crate's rule modules for `djguard rule ID`.

fn main() {
    djguard_ruledocs::generate();
}
