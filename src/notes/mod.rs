//! Release notes and deprecation notices: changelog data ([`changelog`]), the
//! links it carries ([`links`]), Markdown with escaping and prepending
//! ([`markdown`]), the split of a whole history into releases ([`releases`]),
//! and deprecation drafts and docs pages ([`deprecations`]).

pub mod changelog;
pub mod deprecations;
pub mod links;
pub mod markdown;
pub mod releases;
pub mod template;
