//! The shape of a Kubernetes type at a field path, read from its k8s-openapi `Deserialize`
//! impl: a probe deserializer walks the path and records what the type asks for at its end
//! (a struct and its field names, a list, a map, a string, a number...). This is how the
//! escape hatch knows the valid fields without a copy of the OpenAPI schema.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// What a type expects at one place.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Struct {
        name: &'static str,
        fields: &'static [&'static str],
    },
    Seq,
    Map,
    Str,
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Float,
    /// Several kinds accepted (int-or-string, quantities, free JSON).
    Any,
}

/// One step of a path: a struct field, any list item, any map value.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Field(&'a str),
    Item,
    Value,
}

/// The shape of `T` at `path`; `None` when the path leaves the type (an unknown field).
pub fn shape_at<T: DeserializeOwned>(path: &[Step<'_>]) -> Option<Shape> {
    let out = RefCell::new(None);
    let _ = T::deserialize(Probe {
        path,
        out: &out,
        build: false,
    });
    out.into_inner()
}

/// The required fields of the struct at `path` in `T`. k8s-openapi fills a missing required
/// field with its default instead of failing, so they are found by building `T` with an
/// empty object at `path` and seeing which fields it still writes out (an empty optional
/// field is left out, a required one is written with its default).
pub fn required_at<T: DeserializeOwned + serde::Serialize>(path: &[Step<'_>]) -> Vec<String> {
    let out = RefCell::new(None);
    let Ok(built) = T::deserialize(Probe {
        path,
        out: &out,
        build: true,
    }) else {
        return Vec::new();
    };
    let mut value = serde_json::to_value(built).unwrap_or_default();
    for step in path {
        value = match step {
            Step::Field(f) => value.get(*f).cloned().unwrap_or_default(),
            Step::Item => value.get(0).cloned().unwrap_or_default(),
            Step::Value => value.get("key").cloned().unwrap_or_default(),
        };
    }
    match value {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("probe stopped")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

struct Probe<'p, 'a> {
    path: &'p [Step<'a>],
    out: &'p RefCell<Option<Shape>>,
    /// Build an empty object at the end of the path instead of recording its shape.
    build: bool,
}

impl Probe<'_, '_> {
    fn record<T>(self, shape: Shape) -> Result<T, Stop> {
        if self.path.is_empty() {
            *self.out.borrow_mut() = Some(shape);
        }
        Err(Stop)
    }
}

macro_rules! leaf {
    ($($method:ident => $shape:expr;)*) => {
        $(fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            self.record($shape)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Probe<'_, '_> {
    type Error = Stop;

    leaf! {
        deserialize_any => Shape::Any;
        deserialize_bool => Shape::Bool;
        deserialize_i8 => Shape::Int { min: i8::MIN.into(), max: i8::MAX.into() };
        deserialize_i16 => Shape::Int { min: i16::MIN.into(), max: i16::MAX.into() };
        deserialize_i32 => Shape::Int { min: i32::MIN.into(), max: i32::MAX.into() };
        deserialize_i64 => Shape::Int { min: i64::MIN, max: i64::MAX };
        deserialize_u8 => Shape::Int { min: 0, max: u8::MAX.into() };
        deserialize_u16 => Shape::Int { min: 0, max: u16::MAX.into() };
        deserialize_u32 => Shape::Int { min: 0, max: u32::MAX.into() };
        deserialize_u64 => Shape::Int { min: 0, max: i64::MAX };
        deserialize_f32 => Shape::Float;
        deserialize_f64 => Shape::Float;
        deserialize_char => Shape::Str;
        deserialize_str => Shape::Str;
        deserialize_string => Shape::Str;
        deserialize_bytes => Shape::Any;
        deserialize_byte_buf => Shape::Any;
        deserialize_unit => Shape::Any;
        deserialize_identifier => Shape::Str;
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        // The type skips this field: it is not one of its fields. Record nothing.
        Err(Stop)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.path.first() {
            None => self.record(Shape::Seq),
            Some(Step::Item) => visitor.visit_seq(One {
                probe: Some(Probe {
                    path: &self.path[1..],
                    out: self.out,
                    build: self.build,
                }),
                key: None,
            }),
            Some(_) => Err(Stop),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.path.first() {
            None => self.record(Shape::Map),
            Some(Step::Value) => visitor.visit_map(One {
                probe: Some(Probe {
                    path: &self.path[1..],
                    out: self.out,
                    build: self.build,
                }),
                key: Some("key"),
            }),
            Some(_) => Err(Stop),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        match self.path.first() {
            None if self.build => visitor.visit_map(One {
                probe: None,
                key: None,
            }),
            None => self.record(Shape::Struct { name, fields }),
            Some(Step::Field(f)) => visitor.visit_map(One {
                probe: Some(Probe {
                    path: &self.path[1..],
                    out: self.out,
                    build: self.build,
                }),
                key: Some(f),
            }),
            Some(_) => Err(Stop),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Stop> {
        self.record(Shape::Any)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.record(Shape::Any)
    }
}

/// A map with one entry, or a list with one item, whose value is the probe.
struct One<'p, 'a> {
    probe: Option<Probe<'p, 'a>>,
    key: Option<&'a str>,
}

impl<'de> MapAccess<'de> for One<'_, '_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(k) => seed
                .deserialize(IntoDeserializer::<Stop>::into_deserializer(k))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        match self.probe.take() {
            Some(p) => seed.deserialize(p),
            None => Err(Stop),
        }
    }
}

impl<'de> SeqAccess<'de> for One<'_, '_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.probe.take() {
            Some(p) => seed.deserialize(p).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};

    #[test]
    fn reads_fields_and_kinds() {
        let Some(Shape::Struct { name, fields }) = shape_at::<PodSpec>(&[]) else {
            panic!("PodSpec is a struct")
        };
        assert_eq!(name, "PodSpec");
        assert!(fields.contains(&"shareProcessNamespace"));
        let share = [Step::Field("shareProcessNamespace")];
        assert_eq!(shape_at::<PodSpec>(&share), Some(Shape::Bool));
        let containers = [Step::Field("containers")];
        assert_eq!(shape_at::<PodSpec>(&containers), Some(Shape::Seq));
        let name = [Step::Field("containers"), Step::Item, Step::Field("name")];
        assert_eq!(shape_at::<PodSpec>(&name), Some(Shape::Str));
        let labels = [Step::Field("nodeSelector"), Step::Value];
        assert_eq!(shape_at::<PodSpec>(&labels), Some(Shape::Str));
        assert!(shape_at::<PodSpec>(&[Step::Field("shareProcessNamespaces")]).is_none());
        let port = [
            Step::Field("ports"),
            Step::Item,
            Step::Field("containerPort"),
        ];
        let i32_range = Shape::Int {
            min: i32::MIN.into(),
            max: i32::MAX.into(),
        };
        assert_eq!(shape_at::<Container>(&port), Some(i32_range));
        let cpu = [Step::Field("resources"), Step::Field("limits"), Step::Value];
        assert_eq!(shape_at::<Container>(&cpu), Some(Shape::Any));
    }

    #[test]
    fn reads_required_fields() {
        assert_eq!(required_at::<PodSpec>(&[]), ["containers"]);
        let port = [Step::Field("ports"), Step::Item];
        assert_eq!(required_at::<Container>(&port), ["containerPort"]);
        let term = [
            Step::Field("affinity"),
            Step::Field("podAffinity"),
            Step::Field("requiredDuringSchedulingIgnoredDuringExecution"),
            Step::Item,
        ];
        assert_eq!(required_at::<PodSpec>(&term), ["topologyKey"]);
    }
}
