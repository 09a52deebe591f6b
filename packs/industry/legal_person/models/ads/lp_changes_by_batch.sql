-- 法人库更新日志: per update batch, how many masters were new, merged, split or retired.
SELECT batch, event, min(logged_at) AS logged_at, count(*) AS masters
FROM dwd.lp_enterprise_changes
WHERE event <> 'run'
GROUP BY batch, event
ORDER BY batch, event
