//! One log line per request, at `info` from the target `sahifa::access`: a request id
//! (also sent back as `X-Request-Id`, to find the line from a browser's report), the
//! method, the route as declared (`/admin/reset/{token}`, never the path itself, so no
//! token, query string or cookie ever reaches the log), the status, the time taken and the
//! client's address (after the `--trusted-proxy` rule).

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

use crate::core::token::random_hex;

pub async fn log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let started = Instant::now();
    let id = random_hex(8);
    // Nobody reads the lines at `warn` (benchmarks): then only the id is given back.
    let logged = tracing::enabled!(target: "sahifa::access", tracing::Level::INFO);
    let (method, client) = match logged {
        true => (
            req.method().to_string(),
            super::client_address::client_address(req.request()),
        ),
        false => (String::new(), String::new()),
    };
    let metrics = req
        .app_data::<actix_web::web::Data<super::metrics::Metrics>>()
        .cloned();
    let mut response = next.call(req).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "-".to_owned());
    if let Some(metrics) = metrics {
        metrics.observe(
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    if !logged {
        return Ok(response);
    }
    tracing::info!(
        target: "sahifa::access",
        request_id = %id,
        %method,
        %route,
        status = response.status().as_u16(),
        duration_ms = format!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
        %client,
        "request"
    );
    Ok(response)
}
