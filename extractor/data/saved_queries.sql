-- The SQL page's saved examples. Each starts with "-- name: TITLE"; edit or add freely.

-- name: Claims contradicted by the data
SELECT claim_type, ticker, coalesce(value_pct, amount_usd, value) AS claimed, actual_value,
       verdict_basis, checked_start, checked_end, verdict_reason, title, published
FROM claims
WHERE verdict = 'contradicted'
ORDER BY published DESC;

-- name: Flow claims per fund per month
-- (their sum would count overlapping windows twice: `extractor signals` nets them)
SELECT ticker, substr(published, 1, 7) AS month, count(*) AS claims,
       sum(direction = 'inflow') AS inflow_claims, sum(direction = 'outflow') AS outflow_claims,
       max(amount_usd) AS largest_usd
FROM claims
WHERE claim_type = 'flow' AND status != 'rejected' AND published IS NOT NULL
GROUP BY ticker, month
ORDER BY ticker, month;

-- name: The same claim in other articles (novelty)
SELECT c.claim_type, c.ticker, coalesce(c.value_pct, c.amount_usd) AS claimed, c.window_start,
       c.window_end, count(DISTINCT o.article_id) AS other_articles, c.title, c.published
FROM claims c LEFT JOIN claims o
  ON o.claim_type = c.claim_type AND o.ticker = c.ticker AND o.article_id != c.article_id
 AND o.status != 'rejected' AND o.window_start = c.window_start AND o.window_end = c.window_end
 AND ((c.claim_type = 'return' AND abs(o.value_pct - c.value_pct) <= 0.005)
   OR (c.claim_type = 'flow' AND o.direction = c.direction
       AND abs(o.amount_usd - c.amount_usd) <= 0.005 * c.amount_usd))
WHERE c.status != 'rejected'
GROUP BY c.claim_type, c.fact_id
ORDER BY other_articles DESC, c.published DESC;

-- name: Quotes by strategist
SELECT q.speaker, q.title, q.organization, count(*) AS quotes,
       sum(q.stance = 'bullish') AS bullish, sum(q.stance = 'bearish') AS bearish,
       group_concat(DISTINCT a.published) AS days
FROM live_quotes q JOIN articles a ON a.id = q.article_id
GROUP BY q.speaker, q.organization
ORDER BY quotes DESC, q.speaker;

-- name: Reviewers' changes
SELECT change_id, created_at, reviewer, fact_table, fact_id, field, old_value, new_value, note, undone_by
FROM corrections
ORDER BY change_id DESC, id DESC;

-- name: Returns the article's stance disagrees with
SELECT ticker, value_pct, actual_value, verdict, title, published
FROM claims
WHERE sentiment_disagrees = 1
ORDER BY published DESC;
