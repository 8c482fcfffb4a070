package org.supportbot.app.discord;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.supportbot.app.platform.PlatformMetrics;

/**
 * Counts Discord's rate limiting as JDA's HTTP client sees it: every response 429 (JDA waits for its
 * {@code Retry-After} and tries again, so each attempt is counted) and every response whose
 * {@code X-RateLimit-Remaining} is 0 (JDA then holds that route's next request until the bucket resets).
 * Every other response is reported {@linkplain PlatformMetrics#answered answered} (ok below 400), and a
 * call that got no response as failed, for the health check's watch of refusals. Nothing of the request (token, route ids) is recorded.
 */
final class RateLimitCounter implements Interceptor {
  private final PlatformMetrics metrics;

  RateLimitCounter(PlatformMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * An HTTP client as JDA builds its own (25 requests per host, 5 idle connections for 10 s), counting rate limits,
   * that never sends a request twice on its own: OkHttp's retry after a connection failure is off (it repeats a
   * request that was already sent when the connection breaks before the answer, and a follow-up that Discord made
   * would be made again), and each call fails after {@code timeout} without an answer.
   */
  static OkHttpClient.Builder httpClient(PlatformMetrics metrics, java.time.Duration timeout) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(25);
    return new OkHttpClient.Builder().connectionPool(new ConnectionPool(5, 10, TimeUnit.SECONDS)).dispatcher(dispatcher)
        .retryOnConnectionFailure(false)
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
        .addInterceptor(new RateLimitCounter(metrics));
  }

  /**
   * The answer of a call that Discord may have carried out: the edge answered that it lost the API's answer
   * (502 Bad Gateway, 504 Gateway Timeout) to an interaction follow-up, which has no nonce and cannot be looked
   * up. Thrown instead of handing JDA the answer, which it would take for a server error and send again.
   */
  static final class AnswerLost extends IOException {
    AnswerLost(int status) {
      super("Discord's edge answered " + status + " to an interaction follow-up: whether it was made is unknown");
    }
  }

  /** Whether a request creates an interaction follow-up ({@code POST webhooks/{application}/{token}}). */
  static boolean followUp(okhttp3.Request request) {
    java.util.List<String> path = request.url().pathSegments();
    int at = path.indexOf("webhooks");
    return request.method().equals("POST") && at >= 0 && path.size() == at + 3;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (IOException e) {
      metrics.answered(DiscordRenderer.PLATFORM, false);
      throw e;
    }
    if (response.code() == 429) {
      metrics.rateLimited(DiscordRenderer.PLATFORM);
      return response;
    }
    metrics.answered(DiscordRenderer.PLATFORM, response.code() < 400);
    if ((response.code() == 502 || response.code() == 504) && followUp(chain.request())) {
      response.close();
      throw new AnswerLost(response.code());
    }
    if ("0".equals(response.header("X-RateLimit-Remaining"))) {
      metrics.bucketEmptied(DiscordRenderer.PLATFORM);
    }
    return response;
  }
}
