use leptos::prelude::*;

use crate::app::App;

/// The HTML document around the app. Rendered on the server only, so it may differ per
/// deployment (asset URLs) without breaking hydration, which starts at `<body>`.
pub fn shell(options: LeptosOptions, asset_root: String) -> Shell {
    let stylesheet = format!(
        "{asset_root}/{}/{}.css",
        options.site_pkg_dir, options.output_name
    );
    let view = view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // In the shell, not a component: the client then carries no head-managing
                // code (leptos_meta), which the one fixed title does not need.
                <title>"leptos-auth"</title>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options root=asset_root/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    };
    view.into_any()
}

/// The rendered document (type-erased so it can be named in signatures).
pub type Shell = AnyView;
