"""What an operator watches: log lines (text or JSON, with the guild, shard and due work they concern) in
`logs`, Prometheus metrics on Hearth's own registry in `metrics`. Import the module you need: `logs` stays
light, so the command line can configure logging before anything heavy is imported."""
