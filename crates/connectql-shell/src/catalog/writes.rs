//! The write side of a resource, declared beside its fields: which
//! operation creates an item and which request member each field fills,
//! which Update*/Associate* operation changes each field, and how an item
//! is deleted (or why it cannot be). DESCRIBE shows it per field, and the
//! change planner reads nothing else.
//!
//! A member's value is the field's value in the API's form: the inverse of
//! how the field is read (an ARN read from an id is written as the id, a
//! CloudFormation tag list as Connect's map), so a declaration names only
//! the member and the field.

use serde_json::{Map, Value};

use crate::catalog::{Condition, Op};

/// One write operation and the request members it fills from fields.
#[derive(Debug)]
pub struct WriteOp {
    pub op: Op,
    /// (request member, field) pairs: every one is sent, changed or not
    /// (an Update* takes its members together). A dotted member is nested
    /// (`StorageConfig.S3Config`: `S3Config` inside `StorageConfig`).
    pub members: &'static [(&'static str, &'static str)],
    /// For a field that is a set (queues of a routing profile, quick
    /// connects of a queue) or a value that can be cleared (the flow a
    /// number reaches): how it is taken away; `op` adds or sets it.
    pub remove: Option<Removal>,
}

impl WriteOp {
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.members.iter().map(|(_, f)| *f)
    }

    /// Every operation a change of its field may call: `op`, then the
    /// removal's and the one changing kept elements.
    pub fn operations(&self) -> Vec<Op> {
        let mut ops = vec![self.op];
        if let Some(r) = &self.remove {
            ops.push(r.op);
            ops.extend(r.change);
        }
        ops
    }
}

/// How a field of a [`WriteOp`] is taken away. A set changes by
/// difference: the elements added go through the write operation under its
/// member, the ones gone through `op` under `member`, each named by its
/// `key`, and the ones kept under the same key with other values through
/// `change` — so a statement that converged makes no call.
#[derive(Debug)]
pub struct Removal {
    pub op: Op,
    /// The member of `op` listing what is taken away; `None` when the
    /// field is one value that `op` clears (set to NULL).
    pub member: Option<&'static str>,
    /// What names an element, and what `op` takes: its member at this
    /// dot-separated path (`QueueReference`), or several members joined
    /// by `+` (`AttributeName+AttributeValue`: an object of those two);
    /// `None`: the element itself.
    pub key: Option<&'static str>,
    /// The operation that changes kept elements (a queue's priority and
    /// delay on a routing profile), taking them whole under the write
    /// operation's member.
    pub change: Option<Op>,
    /// The most elements one call takes (the request list's maximum).
    pub per_call: Option<usize>,
    /// Both operations take the item's instance as `InstanceId` outside
    /// their URI (a phone number lives in the account, not the instance).
    pub names_instance: bool,
    /// The elements are items of their own (an hours of operation's
    /// overrides): each is added, changed and taken away by a call of its
    /// own, its members at the top of the request, and `change` and `op`
    /// name it by its id — this member of the current element, also their
    /// URI label. `member` is then `None` and `per_call` unused.
    pub own_id: Option<&'static str>,
}

impl Removal {
    /// Removal by `op` of a single value (no member, no key).
    pub const fn of(op: Op) -> Removal {
        Removal {
            op,
            member: None,
            key: None,
            change: None,
            per_call: None,
            names_instance: false,
            own_id: None,
        }
    }
}

/// The member of a [`WriteOp`] whose removal has `own_id`: each element's
/// members go at the top of its own request.
pub const EACH_ELEMENT: &str = "(each element)";

/// How a field's value goes into a request when CloudFormation's shape is
/// not the request's and the field's read (`Read::Reshape`) says nothing
/// about the way back. Fields read as ids (`Read::IdToArn`…) or tag maps
/// (`Read::Tags`) are written back by their read, undeclared.
#[derive(Debug)]
pub enum Shape {
    /// The ARN of an item of this kind (`contact-flow`), which the request
    /// takes as its id (the part after the last `/`); a name given instead
    /// is resolved like any ARN field's.
    Id(&'static str),
    /// An object, or each object of a list: the members at these
    /// dot-separated paths hold ARNs of items of a kind (`queue`), which
    /// the request takes as ids under the given name
    /// (`("QueueReference.QueueArn", "QueueId", "queue")`); the other
    /// members are the request's as they are. A name or id given at such a
    /// path is resolved in the item's instance, an ARN checked, like a
    /// field declared `arn_of`.
    Ids(&'static [NestedId]),
    /// A list of objects, each naming one item (a read's `{Name, Id,
    /// Arn}`): the request takes each as an object of one member, the id
    /// of the ARN at the path (or of the element's `Id`), under the given
    /// name (`("Arn", "HoursOfOperationId", "operating-hours")`). Names
    /// and ids at the path are resolved like [`Shape::Ids`]', and so is an
    /// element's `Name` where it has neither ARN nor `Id`.
    Refs(NestedId),
    /// A list of objects whose members the request names otherwise:
    /// (the field's member, the request's); the others as they are.
    Renamed(&'static [(&'static str, &'static str)]),
}

impl Shape {
    /// The ARNs nested in the value, as [`Shape::Ids`] and [`Shape::Refs`]
    /// declare them.
    pub fn nested(&self) -> &[NestedId] {
        match self {
            Shape::Ids(nested) => nested,
            Shape::Refs(one) => std::slice::from_ref(one),
            Shape::Id(_) | Shape::Renamed(_) => &[],
        }
    }
}

/// An ARN nested in a value: (dot-separated path, the request's name for
/// the id, the kind of item its ARN names, as the ARN spells it).
pub type NestedId = (&'static str, &'static str, &'static str);

/// How an item goes away.
#[derive(Debug)]
pub enum Deletion {
    By(Op),
    /// Connect has no operation for it; the reason, said when refused.
    Impossible(&'static str),
}

/// An object field whose keys change one call each (an instance's
/// attributes: one UpdateInstanceAttribute per attribute). The field is
/// one of `updates`' fields, with `op` as its operation.
#[derive(Debug)]
pub struct EachKey {
    pub field: &'static str,
    pub op: Op,
    /// The member naming the key, in the API's spelling of each key:
    /// (key as the field has it, as the API names it).
    pub key_member: &'static str,
    pub keys: &'static [(&'static str, &'static str)],
    /// The member taking the key's value, as text (`"true"`).
    pub value_member: &'static str,
    /// Keys the create operation takes as members of its own: (member,
    /// key), each required when creating. The other keys given go through
    /// `op` once the new item is `ready`.
    pub at_create: &'static [(&'static str, &'static str)],
    pub ready: Option<Ready>,
}

impl EachKey {
    /// The API name of a key.
    pub fn api_name(&self, key: &str) -> Option<&'static str> {
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, a)| *a)
    }
}

/// When a created item can take further calls: its Describe shows `ready`;
/// `failed` means it never will (`reason` is the JSON pointer of why).
#[derive(Debug)]
pub struct Ready {
    pub ready: Condition,
    pub failed: Condition,
    pub reason: &'static str,
}

/// A check of one create request (wire JSON) before any call, for what
/// Connect would refuse: `Err((member, why))`.
pub type CreateCheck = fn(&Map<String, Value>) -> Result<(), (&'static str, String)>;

/// Everything that changes a resource.
#[derive(Debug)]
pub struct Writes {
    pub create: Option<WriteOp>,
    pub updates: &'static [WriteOp],
    pub delete: Deletion,
    /// Tags change through TagResource / UntagResource on the item's ARN.
    pub tags: bool,
    pub each_key: Option<&'static EachKey>,
    pub check_create: Option<CreateCheck>,
}

impl Writes {
    /// Nothing can be changed (read-only resources).
    pub const NONE: Writes = Writes {
        create: None,
        updates: &[],
        delete: Deletion::Impossible("Connect has no operation that deletes it"),
        tags: false,
        each_key: None,
        check_create: None,
    };

    /// The operation that changes `field` on an existing item.
    pub fn changed_by(&self, field: &str) -> Option<Op> {
        if self.tags && field == "tags" {
            return Some(Op::TagResource);
        }
        self.updates
            .iter()
            .find(|w| w.fields().any(|f| f == field))
            .map(|w| w.op)
    }

    /// True when the create operation takes `field`.
    pub fn created_with(&self, field: &str) -> bool {
        self.create
            .as_ref()
            .is_some_and(|c| c.fields().any(|f| f == field))
            || (self.tags && field == "tags" && self.create.is_some())
    }

    /// Every operation a change of this resource may call.
    pub fn operations(&self) -> Vec<Op> {
        let mut ops: Vec<Op> = self.create.iter().map(|c| c.op).collect();
        for u in self.updates {
            ops.extend(u.operations());
        }
        if let Deletion::By(op) = self.delete {
            ops.push(op);
        }
        if self.tags {
            ops.extend([Op::TagResource, Op::UntagResource]);
        }
        let mut seen = Vec::new();
        ops.retain(|op| {
            let first = !seen.contains(op);
            seen.push(*op);
            first
        });
        ops
    }
}
