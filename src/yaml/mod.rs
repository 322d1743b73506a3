//! Reading Kubernetes YAML as the API server's reader does: where each field's key and value
//! were written (`spans`, from the parser's marks, so a finding or a diff points at its line),
//! and plain scalars read the YAML 1.1 way (`yaml11`: `0644` is 420, `yes` is true). Used by
//! `dsc check FILE.yaml`, import, the diff's readers and the override locator.

pub mod spans;
pub(crate) mod yaml11;
