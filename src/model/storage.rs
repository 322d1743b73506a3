//! Checked volumes and mounts (F24, F25): what the storage rules proved valid, names resolved,
//! file modes already converted to the integer Kubernetes stores.

/// One pod volume. Its name is a unique DNS label: declared with `volume`, or derived from an
/// inline `mount` source, or reserved (`host-localtime` for `timezone host`).
#[derive(Clone, Debug, PartialEq)]
pub struct Volume {
    pub name: String,
    pub source: VolumeSource,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VolumeSource {
    HostPath {
        path: String,
        kind: Option<HostPathType>,
    },
    ConfigMap(KeyedSource),
    Secret(KeyedSource),
    Pvc {
        claim: String,
        read_only: bool,
    },
    EmptyDir {
        memory: bool,
        size: Option<String>,
    },
    Projected {
        sources: Vec<Projection>,
        mode: Option<i32>,
    },
    Downward {
        items: Vec<DownwardFile>,
        mode: Option<i32>,
    },
    /// An NFS export: `server` and the exported `path`.
    Nfs {
        server: String,
        path: String,
        read_only: bool,
    },
    Csi(CsiSource),
    /// A claim made for each pod and deleted with it (generic ephemeral volume).
    Ephemeral(ClaimTemplate),
    /// An OCI image's content, read-only.
    Image {
        reference: String,
        pull: Option<crate::model::PullPolicy>,
    },
    /// `volume NAME override """..."""`: any other source, as the fields of the API's `Volume`
    /// (checked against the type; the API server's rules run on the object).
    Raw(crate::model::Fragment),
}

/// A CSI driver's inline volume.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsiSource {
    pub driver: String,
    pub read_only: bool,
    pub fs_type: Option<String>,
    /// `volumeAttributes`, in the order written.
    pub attributes: Vec<(String, String)>,
    /// `nodePublishSecretRef.name`.
    pub secret: Option<String>,
}

/// The claim of an ephemeral volume: its size, storage class, access modes, and whether it
/// is a raw block device.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimTemplate {
    pub size: String,
    pub class: Option<String>,
    pub access: Vec<AccessMode>,
    pub block: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod,
}

impl AccessMode {
    pub const ALL: [AccessMode; 4] = [
        AccessMode::ReadWriteOnce,
        AccessMode::ReadOnlyMany,
        AccessMode::ReadWriteMany,
        AccessMode::ReadWriteOncePod,
    ];

    /// The API value: `ReadWriteOnce`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "ReadWriteOnce",
            AccessMode::ReadOnlyMany => "ReadOnlyMany",
            AccessMode::ReadWriteMany => "ReadWriteMany",
            AccessMode::ReadWriteOncePod => "ReadWriteOncePod",
        }
    }

    /// The spelling in a spec: `read-write-once`.
    pub fn keyword(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "read-write-once",
            AccessMode::ReadOnlyMany => "read-only-many",
            AccessMode::ReadWriteMany => "read-write-many",
            AccessMode::ReadWriteOncePod => "read-write-once-pod",
        }
    }
}

/// A config map or secret: all keys, or chosen `items`; a default mode; optional or not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyedSource {
    pub name: String,
    pub items: Vec<KeyToPath>,
    /// The file mode as the integer Kubernetes stores (`0644` is 420).
    pub mode: Option<i32>,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyToPath {
    pub key: String,
    pub path: String,
    /// A file mode of its own (`items KEY=PATH:0400`), as the integer Kubernetes stores.
    pub mode: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostPathType {
    DirectoryOrCreate,
    Directory,
    FileOrCreate,
    File,
    Socket,
    CharDevice,
    BlockDevice,
}

impl HostPathType {
    pub const ALL: [HostPathType; 7] = [
        HostPathType::DirectoryOrCreate,
        HostPathType::Directory,
        HostPathType::FileOrCreate,
        HostPathType::File,
        HostPathType::Socket,
        HostPathType::CharDevice,
        HostPathType::BlockDevice,
    ];

    /// The API value: `DirectoryOrCreate`.
    pub fn as_str(self) -> &'static str {
        match self {
            HostPathType::DirectoryOrCreate => "DirectoryOrCreate",
            HostPathType::Directory => "Directory",
            HostPathType::FileOrCreate => "FileOrCreate",
            HostPathType::File => "File",
            HostPathType::Socket => "Socket",
            HostPathType::CharDevice => "CharDevice",
            HostPathType::BlockDevice => "BlockDevice",
        }
    }

    /// The spelling in a spec: `directory-or-create`.
    pub fn keyword(self) -> &'static str {
        match self {
            HostPathType::DirectoryOrCreate => "directory-or-create",
            HostPathType::Directory => "directory",
            HostPathType::FileOrCreate => "file-or-create",
            HostPathType::File => "file",
            HostPathType::Socket => "socket",
            HostPathType::CharDevice => "char-device",
            HostPathType::BlockDevice => "block-device",
        }
    }
}

/// One source of a projected volume.
#[derive(Clone, Debug, PartialEq)]
pub enum Projection {
    Token {
        path: String,
        expiration: Option<i64>,
        audience: Option<String>,
    },
    ConfigMap(KeyedSource),
    Secret(KeyedSource),
    Downward(Vec<DownwardFile>),
}

/// A downward-API file: a pod field or a container resource, written at `path`.
#[derive(Clone, Debug, PartialEq)]
pub struct DownwardFile {
    pub path: String,
    pub source: DownwardSource,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DownwardSource {
    Field(String),
    Resource {
        resource: String,
        container: String,
        divisor: Option<String>,
    },
}

/// One mount of a container, its volume name resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeMount {
    pub volume: String,
    pub path: String,
    pub read_only: bool,
    /// `subPath`, and `subPathExpr` (`$(VAR)` references expanded from the container's env):
    /// both as written, though the API server takes only one of them.
    pub sub_path: Option<String>,
    pub sub_path_expr: Option<String>,
    pub propagation: Option<Propagation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    None,
    HostToContainer,
    Bidirectional,
}

impl Propagation {
    pub fn as_str(self) -> &'static str {
        match self {
            Propagation::None => "None",
            Propagation::HostToContainer => "HostToContainer",
            Propagation::Bidirectional => "Bidirectional",
        }
    }
}
