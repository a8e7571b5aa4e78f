//! Prometheus metrics at `/metrics` (text exposition format), for the operator's own
//! monitoring: requests by route and status, their latency, and the view counter's
//! state. Answered only to this machine (the client address after `--trusted-proxy` must
//! be loopback) or to whoever presents `SAHIFA_METRICS_TOKEN` as a bearer token.

use std::sync::Mutex;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::runtime::AppState;

type Labels = Vec<(&'static str, String)>;

fn latency_histogram() -> Histogram {
    // 0.1 ms to ~1.6 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 15))
}

/// The metrics and the registry they are encoded from.
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    views_pending: Gauge,
    views_failing: Gauge,
    cache_bytes: Family<Labels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<Labels, Counter>::default();
        let latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let views_pending = Gauge::default();
        let views_failing = Gauge::default();
        let cache_bytes = Family::<Labels, Gauge>::default();
        let mut registry = Registry::with_prefix("sahifa");
        registry.register(
            "requests",
            "Requests answered, by route and status",
            requests.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        registry.register(
            "views_pending",
            "Views counted but not yet written to the database",
            views_pending.clone(),
        );
        registry.register(
            "views_flush_failing",
            "1 while writing the view counts fails",
            views_failing.clone(),
        );
        registry.register(
            "cache_bytes",
            "Bytes of rendered pages held, by cache (each has a budget)",
            cache_bytes.clone(),
        );
        Metrics {
            cache_bytes,
            registry: Mutex::new(registry),
            requests,
            latency,
            views_pending,
            views_failing,
        }
    }
}

impl Metrics {
    /// Counts one answered request of `route` (as declared: a bounded set).
    pub fn observe(&self, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
        self.latency
            .get_or_create(&vec![("route", route.to_owned())])
            .observe(seconds);
    }
}

fn allowed(req: &HttpRequest) -> bool {
    let local = super::client_address::client_address(req)
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    let token = std::env::var("SAHIFA_METRICS_TOKEN")
        .ok()
        .filter(|t| t.len() >= 16);
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    local
        || token.is_some_and(|token| {
            presented.is_some_and(|p| {
                p.len() == token.len()
                    && p.bytes()
                        .zip(token.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            })
        })
}

pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    metrics: web::Data<Metrics>,
) -> HttpResponse {
    if !allowed(&req) {
        return HttpResponse::NotFound().finish();
    }
    metrics.views_pending.set(state.views.unflushed());
    metrics
        .views_failing
        .set(i64::from(state.views.health().failing_since.is_some()));
    for (cache, bytes) in [
        ("article_pages", state.article_pages.bytes()),
        ("list_pages", state.list_pages.bytes()),
        ("search_pages", state.search_pages.bytes()),
    ] {
        metrics
            .cache_bytes
            .get_or_create(&vec![("cache", cache.to_owned())])
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }
    let mut text = String::new();
    let registry = metrics
        .registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if encode(&mut text, &registry).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text)
}
