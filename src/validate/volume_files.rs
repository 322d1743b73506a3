//! The volume sources that write files from objects: `validateSecretVolumeSource`,
//! `validateConfigMapVolumeSource` and `validateProjectedVolumeSource`, with their items
//! (`validateKeyToPath`). Downward-API files are in `downward_api.rs`.

use foldhash::{HashMap, HashMapExt};

use super::downward_api::downward_api_file;
use super::field::Node;
use super::field::NodePath;
use super::findings::Findings;
use super::volume_fields::{blank, file_mode, local_non_reserved_path, required_str};

/// `validateSecretVolumeSource`.
pub fn secret(source: &Node, out: &mut Findings) {
    required_str(source, "secretName", out);
    file_mode(&source.get("defaultMode"), out);
    for item in source.get("items").items() {
        key_to_path(&item, out);
    }
}

/// `validateConfigMapVolumeSource`.
pub fn config_map(source: &Node, out: &mut Findings) {
    required_str(source, "name", out);
    file_mode(&source.get("defaultMode"), out);
    for item in source.get("items").items() {
        key_to_path(&item, out);
    }
}

/// `validateKeyToPath`: a key, a relative path that stays inside the volume, a mode. (The
/// key's format is not checked here by the server.)
fn key_to_path(item: &Node, out: &mut Findings) {
    required_str(item, "key", out);
    required_str(item, "path", out);
    local_non_reserved_path(&item.get("path"), out);
    file_mode(&item.get("mode"), out);
}

/// `validateProjectedVolumeSource` and `validateProjectionSources`: one kind per source, and
/// no path written twice across the sources. `clusterTrustBundle` sources are dropped by the
/// server while the `ClusterTrustBundleProjection` gate is off (v1.33 default).
pub fn projected(source: &Node, out: &mut Findings) {
    file_mode(&source.get("defaultMode"), out);
    let mut paths: HashMap<&str, NodePath> = HashMap::new();
    for src in source.get("sources").items() {
        let mut kinds = 0;
        for key in ["secret", "configMap"] {
            let part = src.get(key);
            if !part.is_set() {
                continue;
            }
            kinds += 1;
            required_str(&part, "name", out);
            for item in part.get("items").items() {
                key_to_path(&item, out);
                claim_path(&mut paths, &item.get("path"), out);
            }
        }
        let downward = src.get("downwardAPI");
        if downward.is_set() {
            kinds += 1;
            for item in downward.get("items").items() {
                downward_api_file(&item, out);
                claim_path(&mut paths, &item.get("path"), out);
            }
        }
        let token = src.get("serviceAccountToken");
        if token.is_set() {
            kinds += 1;
            service_account_token(&token, out);
        }
        if kinds > 1 {
            out.forbidden(&src, "may not specify more than 1 volume type per source")
                .help("split the source: one of secret, configMap, downwardAPI or serviceAccountToken per item of `sources`");
        }
    }
}

/// A projected file's path, written by no earlier source ("conflicting duplicate paths").
fn claim_path<'a>(paths: &mut HashMap<&'a str, NodePath>, path: &Node<'a>, out: &mut Findings) {
    let Some(p) = path.str().filter(|p| !p.is_empty()) else {
        return;
    };
    if let Some(first) = paths.get(p) {
        out.invalid(path, "conflicting duplicate paths")
            .related(first, "first written here")
            .help("give each projected file its own path");
    } else {
        paths.insert(p, path.path.clone());
    }
}

/// The `serviceAccountToken` checks of `validateProjectionSources` (the expiration defaults to
/// 3600 seconds).
fn service_account_token(token: &Node, out: &mut Findings) {
    let seconds = token.get("expirationSeconds");
    if let Some(s) = seconds.int() {
        if s < 600 {
            out.invalid(&seconds, "may not specify a duration less than 10 minutes")
                .help("set `expirationSeconds` to 600 or more; the kubelet renews the token before it expires");
        } else if s > 1 << 32 {
            out.invalid(
                &seconds,
                "may not specify a duration larger than 2^32 seconds",
            )
            .help("set `expirationSeconds` to at most 4294967296; the default is 3600");
        }
    }
    let path = token.get("path");
    if blank(&path) {
        out.required(&path, "must be set")
            .help("name the token file, such as `path: token`");
    } else {
        local_non_reserved_path(&path, out);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::validate::volumes::tests::{none, one, volume};
    use crate::validate::Kind;

    #[test]
    fn secret_and_config_map() {
        none(&volume(
            json!({"name":"a","secret":{"secretName":"s","defaultMode":511}}),
        ));
        one(
            &volume(json!({"name":"a","secret":{}})),
            Kind::Required,
            ".secret.secretName",
        );
        one(
            &volume(json!({"name":"a","secret":{"secretName":"s","defaultMode":512}})),
            Kind::Invalid,
            ".secret.defaultMode",
        );
        one(
            &volume(json!({"name":"a","configMap":{"defaultMode":420}})),
            Kind::Required,
            ".configMap.name",
        );
        let f = volume(json!({"name":"a","configMap":{"name":"c","defaultMode":644}}));
        one(&f, Kind::Invalid, ".configMap.defaultMode");
        assert!(
            f[0].help.as_deref().unwrap_or("").contains("0644"),
            "{f:#?}"
        );
        one(
            &volume(json!({"name":"a","configMap":{"name":"c","defaultMode":-1}})),
            Kind::Invalid,
            ".configMap.defaultMode",
        );
        none(&volume(
            json!({"name":"a","configMap":{"name":"c","defaultMode":0}}),
        ));
    }

    #[test]
    fn items() {
        let cm = |item| volume(json!({"name":"a","configMap":{"name":"c","items":[item]}}));
        none(&cm(json!({"key":"k","path":"a/..b","mode":256})));
        one(
            &cm(json!({"path":"p"})),
            Kind::Required,
            ".configMap.items[0].key",
        );
        one(
            &cm(json!({"key":"k"})),
            Kind::Required,
            ".configMap.items[0].path",
        );
        one(
            &cm(json!({"key":"k","path":"/p"})),
            Kind::Invalid,
            ".configMap.items[0].path",
        );
        one(
            &cm(json!({"key":"k","path":"a/../b"})),
            Kind::Invalid,
            ".configMap.items[0].path",
        );
        one(
            &cm(json!({"key":"k","path":"..data"})),
            Kind::Invalid,
            ".configMap.items[0].path",
        );
        one(
            &cm(json!({"key":"k","path":"p","mode":1000})),
            Kind::Invalid,
            ".configMap.items[0].mode",
        );
    }

    #[test]
    fn projected() {
        let p = |sources| volume(json!({"name":"a","projected":{"sources":sources}}));
        none(&p(json!([
            {"serviceAccountToken":{"path":"token","expirationSeconds":600}},
            {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
            {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}},
            {"clusterTrustBundle":{"path":"ca.crt"}}
        ])));
        none(&p(
            json!([{"serviceAccountToken":{"path":"t","expirationSeconds":4294967296_i64}}]),
        ));
        one(
            &p(json!([{"serviceAccountToken":{"path":"t","expirationSeconds":599}}])),
            Kind::Invalid,
            ".projected.sources[0].serviceAccountToken.expirationSeconds",
        );
        one(
            &p(json!([{"serviceAccountToken":{"path":"t","expirationSeconds":4294967297_i64}}])),
            Kind::Invalid,
            ".projected.sources[0].serviceAccountToken.expirationSeconds",
        );
        one(
            &p(json!([{"serviceAccountToken":{}}])),
            Kind::Required,
            ".projected.sources[0].serviceAccountToken.path",
        );
        one(
            &p(json!([{"secret":{"name":"s"},"configMap":{"name":"c"}}])),
            Kind::Forbidden,
            ".projected.sources[0]",
        );
        one(
            &p(json!([{"secret":{}}])),
            Kind::Required,
            ".projected.sources[0].secret.name",
        );
        let f = p(json!([
            {"secret":{"name":"s","items":[{"key":"k","path":"x"}]}},
            {"configMap":{"name":"c","items":[{"key":"k","path":"x"}]}}
        ]));
        one(
            &f,
            Kind::Invalid,
            ".projected.sources[1].configMap.items[0].path",
        );
        assert!(f[0].related.is_some());
    }
}
