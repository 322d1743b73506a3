//! `ValidateContainerResourceRequirements`: one container's `resources.limits` and
//! `resources.requests` (names, quantities, requests against limits, hugepages).
//!
//! Quantities are compared as the server compares them after `SetDefaults_ResourceList`, which
//! rounds every value up to milli precision. `resources.claims` is left alone: it belongs to
//! `DynamicResourceAllocation`, off by default in v1.33, where the server drops the field.

use serde_json::Value;

use super::field::Node;
use super::findings::Findings;
use crate::api::names::qualified_name;
use crate::api::quantity::Quantity;

/// One entry of `limits` or `requests`, read as the server reads it.
struct Amount<'a> {
    name: &'a str,
    node: Node<'a>,
    text: String,
    /// The value in thousandths, rounded up (away from zero) as `SetDefaults_ResourceList` does.
    milli: i128,
}

/// ValidateContainerResourceRequirements for the `resources` block at `resources`.
pub fn resources(resources: &Node, out: &mut Findings) {
    let limits = amounts(&resources.get("limits"), out);
    let requests = amounts(&resources.get("requests"), out);
    let mut cpu_or_memory = false;
    let mut hugepages = false;
    for amount in limits.iter().chain(&requests) {
        cpu_or_memory |= matches!(amount.name, "cpu" | "memory");
        hugepages |= is_hugepages(amount.name);
    }
    let limits_node = resources.get("limits");
    for request in &requests {
        match limits.iter().find(|l| l.name == request.name) {
            Some(limit) if !overcommit_allowed(request.name) && request.milli != limit.milli => {
                out.invalid(
                    &request.node,
                    format!("must be equal to {} limit of {}", request.name, limit.text),
                )
                .help(format!(
                    "{} cannot be overcommitted: set the request and the limit to the same value",
                    request.name
                ))
                .related(&limit.node.path, "the limit");
            }
            Some(limit) if request.milli > limit.milli => {
                out.invalid(
                    &request.node,
                    format!(
                        "must be less than or equal to {} limit of {}",
                        request.name, limit.text
                    ),
                )
                .help(format!(
                    "lower the {} request or raise the limit",
                    request.name
                ))
                .related(&limit.node.path, "the limit");
            }
            Some(_) => {}
            None if !overcommit_allowed(request.name) => {
                // Upstream reports `limits`; the entry that is missing says which one.
                out.required(
                    &limits_node.entry(request.name),
                    "Limit must be set for non overcommitable resources",
                )
                .help(format!(
                    "set `limits.{}` to the same value as the request",
                    request.name
                ))
                .related(&request.node.path, "the request");
            }
            None => {}
        }
    }
    if hugepages && !cpu_or_memory {
        out.forbidden(resources, "HugePages require cpu or memory")
            .help("also request or limit `cpu` or `memory`");
    }
}

/// `validateOverhead`: the pod's `overhead`, read as a container's limits
/// (`ValidateContainerResourceRequirements` with `Limits: overhead`): names, quantities, whole
/// hugepages, and hugepages only beside cpu or memory.
pub fn overhead(overhead: &Node, out: &mut Findings) {
    let amounts = amounts(overhead, out);
    let cpu_or_memory = amounts.iter().any(|a| matches!(a.name, "cpu" | "memory"));
    if !cpu_or_memory && amounts.iter().any(|a| is_hugepages(a.name)) {
        out.forbidden(overhead, "HugePages require cpu or memory")
            .help("also give the overhead's `cpu` or `memory`");
    }
}

/// The entries of one resource list whose names and quantities are valid
/// (validateContainerResourceName, ValidateResourceQuantityValue, the hugepages page size).
fn amounts<'a>(list: &Node<'a>, out: &mut Findings) -> Vec<Amount<'a>> {
    let mut found = Vec::new();
    for (name, node) in list.entries() {
        resource_name(name, &node, out);
        let text = match node.value {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        let quantity = match Quantity::parse(&text) {
            Ok(q) => q,
            Err(problem) => {
                out.invalid(&node, format!("not a quantity: {problem}"))
                    .help("write a quantity such as `128Mi`, `1Gi` or `250m`");
                continue;
            }
        };
        let Some(milli) = milli(&text) else {
            continue;
        };
        if quantity.is_negative() {
            out.invalid(&node, "must be greater than or equal to 0")
                .help("a quantity cannot be negative: remove the `-`");
        } else if is_extended(name) && milli % 1000 != 0 {
            out.invalid(&node, "must be an integer").help(format!(
                "extended resources such as `{name}` are counted in whole units"
            ));
        }
        if is_hugepages(name) && !hugepages_divisible(name, milli) {
            out.invalid(
                &node,
                format!("{text} is not positive integer multiple of {name}"),
            )
            .help(whole_pages_help(name, milli));
        }
        found.push(Amount {
            name,
            node,
            text,
            milli,
        });
    }
    found
}

/// The value of `text` in thousandths, rounded away from zero.
fn milli(text: &str) -> Option<i128> {
    let nanos = crate::api::quantity::exact::parse(text)?.nanos()?;
    let whole = nanos / 1_000_000;
    Some(if nanos % 1_000_000 == 0 {
        whole
    } else {
        whole + nanos.signum()
    })
}

/// validateContainerResourceName (after validateResourceName).
fn resource_name(name: &str, node: &Node, out: &mut Findings) {
    let help = "use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>`, or a domain-prefixed extended resource such as `nvidia.com/gpu`";
    if let Err(problem) = qualified_name(name) {
        out.invalid_key(node, format!("the resource name {problem}"))
            .help(help);
    } else if !name.contains('/') {
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_hugepages(name) {
            out.invalid_key(node, "must be a standard resource for containers")
                .help(help);
        }
    } else if !is_native(name) && !is_extended(name) {
        out.invalid_key(node, "doesn't follow extended resource name standard")
            .help(help);
    }
}

/// IsHugePageResourceName.
fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// IsNativeResource: unprefixed, or in the `kubernetes.io/` domain.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// IsExtendedResourceName: prefixed outside `kubernetes.io`, and `requests.<name>` is a
/// qualified name.
fn is_extended(name: &str) -> bool {
    !is_native(name)
        && !name.starts_with("requests.")
        && qualified_name(&format!("requests.{name}")).is_ok()
}

/// IsOvercommitAllowed: native resources other than hugepages.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// The fix for a hugepages value that is not whole pages: the next whole number of pages,
/// written in the page size's own unit (`hugepages-2Mi: 3Mi` → `4Mi` is 2 pages).
fn whole_pages_help(name: &str, value_milli: i128) -> String {
    let size_text = name.strip_prefix("hugepages-").unwrap_or("");
    let digits = size_text.len()
        - size_text
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let size = milli(size_text).filter(|s| *s > 0 && s % 1000 == 0);
    match (size_text[..digits].parse::<i128>(), size) {
        (Ok(n), Some(size)) if n > 0 => {
            let value =
                value_milli.div_euclid(1000) + i128::from(value_milli.rem_euclid(1000) != 0);
            let pages = value / (size / 1000) + 1;
            format!(
                "give whole pages of {size_text}: `{}{}` is {pages} pages",
                pages * n,
                &size_text[digits..]
            )
        }
        _ => "name a page size the node has, such as `hugepages-2Mi`, and give whole pages of it"
            .to_string(),
    }
}

/// IsHugePageResourceValueDivisible: the page size (from the name) is a positive whole number
/// and divides the value (rounded up to whole units).
fn hugepages_divisible(name: &str, value_milli: i128) -> bool {
    let Some(size) = name.strip_prefix("hugepages-").and_then(milli) else {
        return false;
    };
    if size <= 0 || size % 1000 != 0 {
        return false;
    }
    let value = value_milli.div_euclid(1000) + i128::from(value_milli.rem_euclid(1000) != 0);
    value % (size / 1000) == 0
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::*;
    use crate::validate::Kind;
    use serde_json::{json, Value};

    fn res(resources: Value) -> Value {
        with_container(container(json!({ "resources": resources })))
    }

    const AT: &str = "containers[0].resources";

    #[test]
    fn names_are_standard_or_extended() {
        assert_none(&res(
            json!({"limits": {"cpu": 1, "memory": "1Gi", "ephemeral-storage": "1G",
            "nvidia.com/gpu": 1, "vke.volcengine.com/rdma": "2"}}),
        ));
        assert_one(
            &res(json!({"limits": {"gpu": 1}})),
            Kind::Invalid,
            &format!("{AT}.limits.gpu"),
        );
        assert_one(
            &res(json!({"limits": {"a/b/c": 1}})),
            Kind::Invalid,
            &format!("{AT}.limits[a/b/c]"),
        );
    }

    #[test]
    fn quantities_are_non_negative_and_parse() {
        assert_one(
            &res(json!({"requests": {"cpu": "-1"}})),
            Kind::Invalid,
            &format!("{AT}.requests.cpu"),
        );
        assert_one(
            &res(json!({"requests": {"memory": "1GB"}})),
            Kind::Invalid,
            &format!("{AT}.requests.memory"),
        );
        assert_none(&res(json!({"requests": {"cpu": 0}})));
    }

    #[test]
    fn request_at_most_limit() {
        assert_none(&res(
            json!({"requests": {"cpu": "1"}, "limits": {"cpu": "1000m"}}),
        ));
        assert_none(&res(
            json!({"requests": {"cpu": "1.0004"}, "limits": {"cpu": "1.0001"}}),
        ));
        let ds = res(json!({"requests": {"memory": "2Gi"}, "limits": {"memory": "1Gi"}}));
        assert_one(&ds, Kind::Invalid, &format!("{AT}.requests.memory"));
    }

    #[test]
    fn extended_resources_are_whole_and_not_overcommitted() {
        let ds = res(json!({"limits": {"nvidia.com/gpu": "0.5"}}));
        assert_one(&ds, Kind::Invalid, &format!("{AT}.limits[nvidia.com/gpu]"));
        let ds = res(json!({"requests": {"nvidia.com/gpu": 1}}));
        assert_one(&ds, Kind::Required, &format!("{AT}.limits[nvidia.com/gpu]"));
        let ds = res(json!({"requests": {"nvidia.com/gpu": 1}, "limits": {"nvidia.com/gpu": 2}}));
        assert_one(
            &ds,
            Kind::Invalid,
            &format!("{AT}.requests[nvidia.com/gpu]"),
        );
        assert_none(&res(
            json!({"requests": {"nvidia.com/gpu": 2}, "limits": {"nvidia.com/gpu": 2}}),
        ));
    }

    #[test]
    fn hugepages_need_cpu_or_memory_and_whole_pages() {
        assert_none(&res(
            json!({"limits": {"hugepages-2Mi": "4Mi", "memory": "1Gi"}}),
        ));
        assert_one(
            &res(json!({"limits": {"hugepages-2Mi": "4Mi"}})),
            Kind::Forbidden,
            AT,
        );
        let ds = res(json!({"limits": {"hugepages-2Mi": "3Mi", "memory": "1Gi"}}));
        assert_one(&ds, Kind::Invalid, &format!("{AT}.limits[hugepages-2Mi]"));
    }

    #[test]
    fn overhead() {
        let ds = |o: Value| with_pod(|pod| pod["overhead"] = o);
        assert_none(&ds(json!({"cpu": "250m", "memory": "120Mi"})));
        assert_one(&ds(json!({"cpu": "-1"})), Kind::Invalid, "overhead.cpu");
        assert_one(&ds(json!({"pods": "1"})), Kind::Invalid, "overhead.pods");
        assert_one(
            &ds(json!({"example.com/dongle": "500m"})),
            Kind::Invalid,
            "overhead[example.com/dongle]",
        );
        assert_one(
            &ds(json!({"hugepages-2Mi": "4Mi"})),
            Kind::Forbidden,
            "overhead",
        );
        assert_none(&ds(json!({"hugepages-2Mi": "4Mi", "memory": "10Mi"})));
    }
}
