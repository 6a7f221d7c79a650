-- The SQL page's saved examples. Each starts with "-- name: TITLE"; edit or add freely.

-- name: Claims contradicted by the data
SELECT claim_type, ticker, coalesce(value_pct, amount_usd) AS claimed, actual_value,
       verdict_basis, checked_start, checked_end, verdict_reason, title, published
FROM claims
WHERE verdict = 'contradicted'
ORDER BY published DESC;

-- name: Net flows per fund per month
SELECT ticker, substr(published, 1, 7) AS month,
       sum(CASE direction WHEN 'inflow' THEN amount_usd ELSE -amount_usd END) AS net_flow_usd,
       count(*) AS claims
FROM claims
WHERE claim_type = 'flow' AND status != 'rejected' AND published IS NOT NULL
GROUP BY ticker, month
ORDER BY ticker, month;

-- name: Quotes by strategist
SELECT q.speaker, q.title, q.organization, count(*) AS quotes,
       sum(q.stance = 'bullish') AS bullish, sum(q.stance = 'bearish') AS bearish,
       group_concat(DISTINCT a.published) AS days
FROM quotes q JOIN articles a ON a.id = q.article_id
WHERE q.status != 'rejected'
GROUP BY q.speaker, q.organization
ORDER BY quotes DESC, q.speaker;

-- name: Reviewers' changes
SELECT change_id, created_at, fact_table, fact_id, field, old_value, new_value, note, undone_by
FROM corrections
ORDER BY change_id DESC, id DESC;

-- name: Returns the article's stance disagrees with
SELECT ticker, value_pct, actual_value, verdict, title, published
FROM claims
WHERE sentiment_disagrees = 1
ORDER BY published DESC;
