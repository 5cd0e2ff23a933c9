//! Facts about the releases cephspray renders for, read by both `check` (what a release can
//! install) and `render` (how it is labelled). Only facts: how a release names the plan's values
//! is in `src/render`.

pub mod kubespray_2_31;
