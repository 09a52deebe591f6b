-- 法人记录: both sources in the enterprise input columns of entity resolution (record_id, source,
-- uscc, name, legal_rep, address, established, updated_at) plus the standardized attributes.
WITH unioned AS (
    SELECT 'scjg_enterprise' AS source, record_id, uscc, name, legal_rep, industry_code, industry_name,
           status AS raw_status, amount_to_yuan(reg_capital_wan, '万元') AS capital_raw_yuan,
           amount_currency(currency, '人民币') AS currency, established_date, address,
           CAST(NULL AS DATE) AS updated_at
    FROM ods.lp_scjg_enterprise
    UNION ALL
    SELECT 'sw_taxpayer', record_id, uscc, name, legal_rep, NULL, industry_name, tax_status,
           amount_to_yuan(reg_capital, '万元'), amount_currency(reg_capital, '人民币'), established_date, address,
           NULL
    FROM ods.lp_sw_taxpayer
)
SELECT
    u.source, u.record_id,
    uscc_normalize(u.uscc) AS uscc,
    coalesce(is_valid_uscc(u.uscc), false) AS uscc_valid,
    uscc_org_code(u.uscc) AS org_code,
    u.name,
    ent_name_clean(u.name) AS name_std,
    u.legal_rep,
    coalesce(s.status, '其他（' || u.raw_status || '）') AS status,
    s.active,
    u.raw_status,
    industry_section(u.industry_code) AS industry_section,
    u.industry_code,
    coalesce(industry_name(u.industry_code), u.industry_name) AS industry_name,
    -- 注册资本 in yuan of CNY: foreign currencies through the configured rate table
    round(u.capital_raw_yuan * fx.rate_to_cny, 2) AS capital_yuan,
    u.currency,
    parse_cn_date(u.established_date) AS established,
    u.address,
    address_standardize(u.address) AS address_std,
    u.updated_at
FROM unioned u
LEFT JOIN ods.lp_status_code s ON s.raw_status = trim(u.raw_status)
LEFT JOIN ods.lp_fx_rate fx ON fx.currency = u.currency
