//! Facts about the releases cephspray renders for, read by `check` (what a release can install,
//! which releases go together) and by `render` (how files are labelled). Only facts: how a
//! release names the plan's values is in `src/render`.
//!
//! A release is one arm in each `facts` match below; the compiler asks for it when a variant is
//! added to the spec's enums.

pub mod ceph_ansible;
pub mod kubespray;
