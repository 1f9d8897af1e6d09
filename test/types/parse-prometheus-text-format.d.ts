// Types for parse-prometheus-text-format (a dev dependency the tests read /metrics with), which ships none.
// The package is CommonJS and exports one function: Prometheus text exposition in, metric families out,
// every number left as the string it was written as ("1027", "+Inf", "1.458255915e9").
declare module 'parse-prometheus-text-format' {
  namespace parsePrometheusTextFormat {
    /**
     * One series of a family: counters, gauges and untyped metrics carry `value`; histograms `buckets`
     * (upper bound -> cumulative count), `count` and `sum`; summaries `quantiles`, `count` and `sum`.
     */
    interface Metric {
      labels?: Record<string, string>;
      value?: string;
      buckets?: Record<string, string>;
      quantiles?: Record<string, string>;
      count?: string;
      sum?: string;
    }
    /** One metric family: its # HELP and # TYPE lines and its series. */
    interface Family {
      name: string;
      help: string;
      type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
      metrics: Metric[];
    }
  }
  function parsePrometheusTextFormat(text: string): parsePrometheusTextFormat.Family[];
  export = parsePrometheusTextFormat;
}
