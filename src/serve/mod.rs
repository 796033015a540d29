//! `guidepost serve`: `watch` plus a local web server with live reload.
//!
//! The chosen output is served under its base_url path, so links behave as
//! they will when hosted. HTML responses get a small script (only when
//! served, never in built files) that listens for rebuilds: a page reload,
//! a stylesheet swap for CSS-only changes, or an overlay with the build's
//! error text — the same words as the terminal.

pub mod watch;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, ids};
use watch::Outcome;

pub const EVENTS_PATH: &str = "/__guidepost/events";

#[derive(Clone)]
struct AppState {
    dir: PathBuf,
    base_path: String,
    events: broadcast::Sender<Outcome>,
    /// The last failed build's report, shown on every page until fixed.
    error: Arc<Mutex<Option<String>>>,
}

pub struct ServeOptions {
    pub build: BuildOptions,
    pub output: Option<String>,
    pub bind: String,
    pub port: u16,
    pub poll: bool,
}

/// The live-reload client, injected before `</body>` of served HTML.
const CLIENT: &str = r#"<script id="guidepost-live">
(function () {
  var overlay;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:#fff;color:#212b32;border-top:8px solid #d5281b;padding:1.5rem;font:16px/1.5 Arial,sans-serif";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "<h2 style='margin-top:0'>The site did not build</h2><p>The last good version is still being served. Fix the problem below and save: this page updates by itself.</p><pre style='white-space:pre-wrap;font:14px/1.4 monospace'></pre>";
    overlay.querySelector("pre").textContent = text;
  }
  var initial = document.getElementById("guidepost-error");
  if (initial) show(initial.textContent);
  var source = new EventSource("/__guidepost/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () {
    if (overlay) { overlay.remove(); overlay = null; }
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href); u.searchParams.set("v", Date.now()); l.href = u.href;
    });
  });
  source.addEventListener("error-report", function (e) { show(e.data); });
})();
</script>"#;

fn inject(html: &str, error: Option<&str>) -> String {
    let mut script = String::new();
    if let Some(e) = error {
        script.push_str("<template id=\"guidepost-error\">");
        script.push_str(&e.replace('&', "&amp;").replace('<', "&lt;"));
        script.push_str("</template>");
    }
    script.push_str(CLIENT);
    match html.rfind("</body>") {
        Some(i) => format!("{}{}{}", &html[..i], script, &html[i..]),
        None => format!("{html}{script}"),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file a request path names inside the output folder, or None when
/// it would leave it (`..`, encoded or not, backslashes, symlinks out).
pub fn resolve(dir: &Path, base_path: &str, request_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(request_path)?;
    let rel = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))?;
    if rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let mut path = dir.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(s) => path.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    let root = dir.canonicalize().ok()?;
    real.starts_with(&root).then_some(real)
}

async fn serve_file(State(state): State<AppState>, req: Request<Body>) -> Response<Body> {
    let path = req.uri().path().to_string();
    if path == "/" && state.base_path != "/" {
        return Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, state.base_path.clone())
            .body(Body::empty())
            .unwrap_or_default();
    }
    let error = state.error.lock().ok().and_then(|e| e.clone());
    let (status, file) = match resolve(&state.dir, &state.base_path, &path) {
        Some(f) if f.is_file() => (StatusCode::OK, f),
        _ => (StatusCode::NOT_FOUND, state.dir.join("404.html")),
    };
    let bytes = match tokio::fs::read(&file).await {
        Ok(b) => b,
        // Nothing built yet (the first build failed): a bare page, so the
        // error overlay still has somewhere to appear.
        Err(_) => {
            let html = inject(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head><body><p>This page has not been built yet.</p></body></html>",
                error.as_deref(),
            );
            let mut resp = Response::new(Body::from(html));
            *resp.status_mut() = StatusCode::NOT_FOUND;
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            return resp;
        }
    };
    let ctype = content_type(&file);
    let body = if ctype.starts_with("text/html") {
        Body::from(inject(&String::from_utf8_lossy(&bytes), error.as_deref()))
    } else {
        Body::from(bytes)
    };
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn events(
    State(state): State<AppState>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(|o| {
        let event = match o.ok()? {
            Outcome::Built { css_only: true, .. } => Event::default().event("css").data("css"),
            Outcome::Built { .. } => Event::default().event("reload").data("reload"),
            Outcome::Failed { report } => Event::default().event("error-report").data(report),
        };
        Some(Ok(event))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Builds, serves and rebuilds until the process is stopped. The error is
/// why it could not start or stopped: one or more messages to print.
pub fn serve(
    opts: ServeOptions,
    mut print: impl FnMut(&str) + Send + 'static,
) -> Result<(), Vec<Diagnostic>> {
    let server_error = |e: std::io::Error| {
        vec![
            Diagnostic::error(ids::SERVER_ERROR, format!("the preview server failed: {e}"))
                .hint("start `guidepost serve` again; if this happens again, restart the computer"),
        ]
    };
    if opts.bind.parse::<std::net::IpAddr>().is_err() && opts.bind != "localhost" {
        return Err(vec![Diagnostic::error(
            ids::INVALID_BIND_ADDRESS,
            format!(
                "`{}` is not an address to listen on: use an IP address such as 127.0.0.1 (this computer only) or 0.0.0.0 (every network)",
                opts.bind
            ),
        )]);
    }
    let mut diags = crate::diagnostics::Diagnostics::new();
    let Some(config) = crate::config::load(&opts.build.root, &mut diags) else {
        return Err(diags.sorted().into_iter().cloned().collect());
    };
    let names: Vec<&str> = config.outputs.iter().map(|o| o.name.as_str()).collect();
    let output = match &opts.output {
        Some(name) => config
            .outputs
            .iter()
            .find(|o| &o.name == name)
            .ok_or_else(|| {
                vec![
                    Diagnostic::error(
                        ids::UNKNOWN_OUTPUT,
                        format!("there is no output called `{name}`"),
                    )
                    .hint(format!("site.yaml defines: {}", names.join(", "))),
                ]
            })?,
        None => config
            .outputs
            .iter()
            .max_by_key(|o| o.audiences.len())
            .ok_or_else(|| {
                vec![Diagnostic::error(
                    ids::MISSING_SETTING,
                    "no `outputs` are configured, so there is nothing to serve",
                )]
            })?,
    }
    .clone();
    let state = AppState {
        dir: opts.build.root.join(&output.dir),
        base_path: output.base_path.clone(),
        events: broadcast::channel(16).0,
        error: Arc::new(Mutex::new(None)),
    };

    let mut session = crate::build::incremental::Session::new(opts.build.clone());
    let first = watch::rebuild(&mut session, &[]);
    report(&first, &state, &mut print);

    let runtime = tokio::runtime::Runtime::new().map_err(server_error)?;
    let listener = runtime.block_on(async {
        for port in opts.port..opts.port.saturating_add(20) {
            if let Ok(l) = tokio::net::TcpListener::bind((opts.bind.as_str(), port)).await {
                return Ok(l);
            }
        }
        Err(vec![
            Diagnostic::error(
                ids::NO_FREE_PORT,
                format!(
                    "no free port from {} to {} on {}",
                    opts.port,
                    opts.port.saturating_add(19),
                    opts.bind
                ),
            )
            .hint("stop other `guidepost serve`s with Ctrl-C, or choose another port with --port"),
        ])
    })?;
    let addr: SocketAddr = listener.local_addr().map_err(server_error)?;
    let host = if addr.ip().is_loopback() {
        "localhost".to_string()
    } else {
        addr.ip().to_string()
    };
    print(&format!(
        "Serving the `{}` output at http://{host}:{}{}",
        output.name,
        addr.port(),
        output.base_path
    ));
    if !addr.ip().is_loopback() {
        print(&format!(
            "Note: listening on {} — other computers on the network can see this preview.",
            addr.ip()
        ));
    }
    print("Press Ctrl-C to stop.");

    let watch_state = state.clone();
    let poll = opts.poll;
    std::thread::spawn(move || {
        let mut print = print;
        let _ = watch::watch(
            &mut session,
            poll,
            || {},
            |outcome| report(&outcome, &watch_state, &mut print),
        );
    });

    let app = Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(serve_file)
        .with_state(state);
    runtime.block_on(async move { axum::serve(listener, app).await.map_err(server_error) })
}

fn report(outcome: &Outcome, state: &AppState, print: &mut impl FnMut(&str)) {
    match outcome {
        Outcome::Built { summary, .. } => {
            if let Ok(mut e) = state.error.lock() {
                *e = None;
            }
            print(summary);
        }
        Outcome::Failed { report } => {
            if let Ok(mut e) = state.error.lock() {
                *e = Some(report.clone());
            }
            print(report);
        }
    }
    let _ = state.events.send(outcome.clone());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output() {
        let dir = std::env::temp_dir().join(format!("gp-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/index.html"), "x").unwrap();
        assert!(resolve(&dir, "/base/", "/base/a/").is_some());
        assert!(resolve(&dir, "/base/", "/base/../etc/passwd").is_none());
        assert!(resolve(&dir, "/base/", "/base/%2e%2e/%2e%2e/etc/passwd").is_none());
        assert!(resolve(&dir, "/base/", "/base/a/..%2f..%2fsecret").is_none());
        assert!(resolve(&dir, "/base/", "/base/..\\secret").is_none());
        assert!(resolve(&dir, "/base/", "/other/a/").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", None);
        assert!(html.contains("<p>x</p><script id=\"guidepost-live\">"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
