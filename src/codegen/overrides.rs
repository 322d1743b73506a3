//! The escape hatch in codegen: a checked fragment is merged into the generated object as a
//! JSON merge patch, and the result is read back into the k8s-openapi type, so the output
//! keeps the API field order. The checker proved that the fragment fits (`check/overrides.rs`).

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::model::Fragment;

/// `base` with `fragment` merged in.
pub fn merged<T: Serialize + DeserializeOwned>(base: T, fragment: Option<&Fragment>) -> T {
    let Some(fragment) = fragment else {
        return base;
    };
    let Ok(mut value) = serde_json::to_value(&base) else {
        return base;
    };
    fragment.merge_into(&mut value);
    // Cannot fail: the checker merged the fragment onto a subset of this object and read it
    // back into the same type. Keeping `base` is the safe answer should that ever change.
    serde_json::from_value(value).unwrap_or(base)
}
