//! Embeds every template under `templates/` in the binary, named by its path below it
//! (`kubespray-2.31/host_vars.yml.j2`): a target's templates are its own directory, and adding
//! one needs no list to update.

fn main() {
    minijinja_embed::embed_templates!("templates");
}
