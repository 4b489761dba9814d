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

use crate::catalog::Op;

/// One write operation and the request members it fills from fields.
#[derive(Debug)]
pub struct WriteOp {
    pub op: Op,
    /// (request member, field) pairs: every one is sent, changed or not
    /// (an Update* takes its members together).
    pub members: &'static [(&'static str, &'static str)],
    /// For a field that is a set (queues of a routing profile, quick
    /// connects of a queue, the flow a number reaches): the operation that
    /// takes elements away; `op` adds them.
    pub remove: Option<Op>,
}

impl WriteOp {
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.members.iter().map(|(_, f)| *f)
    }
}

/// How an item goes away.
#[derive(Debug)]
pub enum Deletion {
    By(Op),
    /// Connect has no operation for it; the reason, said when refused.
    Impossible(&'static str),
}

/// Everything that changes a resource.
#[derive(Debug)]
pub struct Writes {
    pub create: Option<WriteOp>,
    pub updates: &'static [WriteOp],
    pub delete: Deletion,
    /// Tags change through TagResource / UntagResource on the item's ARN.
    pub tags: bool,
}

impl Writes {
    /// Nothing can be changed (read-only resources).
    pub const NONE: Writes = Writes {
        create: None,
        updates: &[],
        delete: Deletion::Impossible("Connect has no operation that deletes it"),
        tags: false,
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
            ops.push(u.op);
            ops.extend(u.remove);
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
