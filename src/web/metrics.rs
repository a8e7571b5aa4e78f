//! Prometheus metrics at `/metrics` (text exposition format), for the operator's own
//! monitoring: requests by route and status, their latency, and the view counter's
//! state. Answered only to this machine (the client address after `--trusted-proxy` must
//! be loopback) or to whoever presents `SAHIFA_METRICS_TOKEN` as a bearer token.

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

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
    cache_hits: Family<Labels, Counter>,
    cache_misses: Family<Labels, Counter>,
    flushes: Family<Labels, Counter>,
    flush_seconds: Counter<f64, AtomicU64>,
    pool_checkouts: Counter,
    pool_wait_seconds: Counter<f64, AtomicU64>,
    pool_timeouts: Counter,
    pool_connections: Family<Labels, Gauge>,
}

/// Raises a counter kept here to a total counted elsewhere (the caches, the view counter
/// and the pool count with plain atomics and know nothing of Prometheus). Scrapes run one
/// at a time under the registry's lock, so two can't both add the same difference.
fn catch_up(counter: &Counter, total: u64) {
    let shown = counter.get();
    if total > shown {
        counter.inc_by(total - shown);
    }
}

fn catch_up_seconds(counter: &Counter<f64, AtomicU64>, total: f64) {
    let shown = counter.get();
    if total > shown {
        counter.inc_by(total - shown);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<Labels, Counter>::default();
        let latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let views_pending = Gauge::default();
        let views_failing = Gauge::default();
        let cache_bytes = Family::<Labels, Gauge>::default();
        let cache_hits = Family::<Labels, Counter>::default();
        let cache_misses = Family::<Labels, Counter>::default();
        let flushes = Family::<Labels, Counter>::default();
        let flush_seconds = Counter::<f64, AtomicU64>::default();
        let pool_checkouts = Counter::default();
        let pool_wait_seconds = Counter::<f64, AtomicU64>::default();
        let pool_timeouts = Counter::default();
        let pool_connections = Family::<Labels, Gauge>::default();
        let mut registry = Registry::with_prefix("sahifa");
        registry.register(
            "cache_hits",
            "Requests answered from a cache, by cache",
            cache_hits.clone(),
        );
        registry.register(
            "cache_misses",
            "Requests a cache could not answer, by cache",
            cache_misses.clone(),
        );
        registry.register(
            "views_flushes",
            "Writes of the pending view counts, by outcome",
            flushes.clone(),
        );
        registry.register(
            "views_flush_seconds",
            "Time spent writing the pending view counts",
            flush_seconds.clone(),
        );
        registry.register(
            "pool_checkouts",
            "Database connections handed out by the pool",
            pool_checkouts.clone(),
        );
        registry.register(
            "pool_wait_seconds",
            "Time spent waiting for a database connection",
            pool_wait_seconds.clone(),
        );
        registry.register(
            "pool_timeouts",
            "Waits for a database connection that gave up",
            pool_timeouts.clone(),
        );
        registry.register(
            "pool_connections",
            "Database connections open now, by state",
            pool_connections.clone(),
        );
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
            cache_hits,
            cache_misses,
            flushes,
            flush_seconds,
            pool_checkouts,
            pool_wait_seconds,
            pool_timeouts,
            pool_connections,
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

impl Metrics {
    /// Copies what the rest of the program counts into the registry's metrics. Called
    /// with the registry locked.
    fn catch_up(&self, state: &AppState) {
        let label = |name: &'static str, value: &str| vec![(name, value.to_owned())];
        self.views_pending.set(state.views.unflushed());
        let flush = state.views.health();
        self.views_failing
            .set(i64::from(flush.failing_since.is_some()));
        catch_up(
            &self.flushes.get_or_create(&label("outcome", "ok")),
            flush.flushes,
        );
        catch_up(
            &self.flushes.get_or_create(&label("outcome", "failed")),
            flush.failures,
        );
        catch_up_seconds(&self.flush_seconds, flush.time_spent.as_secs_f64());
        let caches = [
            (
                "article_pages",
                state.article_pages.bytes(),
                state.article_pages.stats(),
            ),
            (
                "list_pages",
                state.list_pages.bytes(),
                state.list_pages.stats(),
            ),
            (
                "search_pages",
                state.search_pages.bytes(),
                state.search_pages.stats(),
            ),
            (
                "picture_files",
                state.picture_files.bytes(),
                state.picture_files.stats(),
            ),
        ];
        for (cache, bytes, stats) in caches {
            let labels = label("cache", cache);
            self.cache_bytes
                .get_or_create(&labels)
                .set(i64::try_from(bytes).unwrap_or(i64::MAX));
            catch_up(&self.cache_hits.get_or_create(&labels), stats.hits());
            catch_up(&self.cache_misses.get_or_create(&labels), stats.misses());
        }
        let pool = state.db.pool_report();
        catch_up(&self.pool_checkouts, pool.checkouts);
        catch_up_seconds(&self.pool_wait_seconds, pool.waited.as_secs_f64());
        catch_up(&self.pool_timeouts, pool.timeouts);
        let busy = pool.connections.saturating_sub(pool.idle);
        self.pool_connections
            .get_or_create(&label("state", "busy"))
            .set(i64::from(busy));
        self.pool_connections
            .get_or_create(&label("state", "idle"))
            .set(i64::from(pool.idle));
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
    let registry = metrics
        .registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    metrics.catch_up(&state);
    let mut text = String::new();
    if encode(&mut text, &registry).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text)
}
