select o.ok, case when o.ok then (select concat('{"totalCount":', (select count(*) from outcome_target t0 where t0.city_id = any($1::integer[]))::text, ',"pageInfo":', concat('{"hasNextPage":', (count(*) > 3)::text, ',"hasPreviousPage":', 'false', ',"startCursor":', coalesce('"' || (min(translate(encode(convert_to('[' || p1.id::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_')) filter (where p1.__n = 1)) || '"', 'null'), ',"endCursor":', coalesce('"' || ((array_agg(translate(encode(convert_to('[' || p1.id::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_') order by p1.__n desc) filter (where p1.__n <= 3))[1]) || '"', 'null'), '}'), ',"edges":', coalesce('[' || string_agg(concat('{"cursor":', coalesce('"' || (translate(encode(convert_to('[' || p1.id::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_')) || '"', 'null'), ',"node":', concat('{"id":', coalesce('"' || (p1.id) || '"', 'null'), ',"createdAt":', coalesce('"' || (to_char(p1.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || '"', 'null'), ',"updatedAt":', coalesce('"' || (to_char(p1.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || '"', 'null'), ',"createdBy":', coalesce(to_json(p1.created_by)::text, 'null'), ',"updatedBy":', coalesce(to_json(p1.updated_by)::text, 'null'), ',"pm25Target":', coalesce((p1.pm25_target::float8)::text, 'null'), ',"heavyDaysTarget":', coalesce((p1.heavy_days_target)::text, 'null'), ',"annualPm25Target":', coalesce((p1.annual_pm25_target::float8)::text, 'null'), ',"origin":', coalesce('"' || (p1.origin) || '"', 'null'), ',"version":', coalesce((p1.version)::text, 'null'), ',"city":', coalesce((select concat('{"id":', coalesce('"' || (r2.id) || '"', 'null'), '}') from city r2 where r2.id = p1.city_id), 'null'), ',"campaign":', coalesce((select concat('{"id":', coalesce('"' || (r3.id) || '"', 'null'), '}') from campaign r3 where r3.id = p1.campaign_id), 'null'), ',"attainment":', coalesce((select concat('{"periodDays":', coalesce(to_json(v4.period_days)::text, 'null'), ',"observedDays":', coalesce(to_json(v4.observed_days)::text, 'null'), ',"pm25Mean":', coalesce(to_json(v4.pm25_mean::float8)::text, 'null'), ',"pm25Target":', coalesce(to_json(v4.pm25_target::float8)::text, 'null'), ',"pm25Met":', coalesce(to_json(v4.pm25_met)::text, 'null'), ',"pm25Status":', coalesce(to_json(v4.pm25_status)::text, 'null'), ',"heavyPollutionDays":', coalesce(to_json(v4.heavy_days)::text, 'null'), ',"heavyDaysTarget":', coalesce(to_json(v4.heavy_days_target)::text, 'null'), ',"heavyDaysMet":', coalesce(to_json(v4.heavy_met)::text, 'null'), ',"heavyDaysStatus":', coalesce(to_json(v4.heavy_status)::text, 'null'), '}') from (select k.campaign_id, k.city_id,
         cp.expected_days as period_days, cp.expected_days, cp.observed_days, c.period_start::text as period_start, c.period_end::text as period_end, cp.required_days, cp.percent_complete, cp.complete, cp.months,
         cp.pm25_mean, cp.heavy_days,
         t.pm25_target, t.heavy_days_target,
         case when t.pm25_target is null then 'NO_TARGET' when false then 'NOT_MET'
    when not coalesce(cp.complete, false) then 'INSUFFICIENT_DATA'
    when cp.pm25_mean <= t.pm25_target then 'MET' else 'NOT_MET' end as pm25_status, case when t.heavy_days_target is null then 'NO_TARGET' when cp.heavy_days > t.heavy_days_target then 'NOT_MET'
    when not coalesce(cp.complete, false) then 'INSUFFICIENT_DATA'
    when cp.heavy_days <= t.heavy_days_target then 'MET' else 'NOT_MET' end as heavy_status,
         case case when t.pm25_target is null then 'NO_TARGET' when false then 'NOT_MET'
    when not coalesce(cp.complete, false) then 'INSUFFICIENT_DATA'
    when cp.pm25_mean <= t.pm25_target then 'MET' else 'NOT_MET' end when 'MET' then true when 'NOT_MET' then false end as pm25_met, case case when t.heavy_days_target is null then 'NO_TARGET' when cp.heavy_days > t.heavy_days_target then 'NOT_MET'
    when not coalesce(cp.complete, false) then 'INSUFFICIENT_DATA'
    when cp.heavy_days <= t.heavy_days_target then 'MET' else 'NOT_MET' end when 'MET' then true when 'NOT_MET' then false end as heavy_met,
         y.year as annual_year, y.y_from::text as annual_from, y.y_to::text as annual_to,
         ya.expected_days as annual_expected_days, ya.observed_days as annual_observed_days, ya.required_days as annual_required_days,
         ya.percent_complete as annual_percent_complete,
         ya.complete as annual_complete, ya.months as annual_months, ya.pm25_mean as annual_pm25_mean,
         t.annual_pm25_target, case when t.annual_pm25_target is null then 'NO_TARGET' when false then 'NOT_MET'
    when not coalesce(ya.complete, false) then 'INSUFFICIENT_DATA'
    when ya.pm25_mean <= t.annual_pm25_target then 'MET' else 'NOT_MET' end as annual_status, case case when t.annual_pm25_target is null then 'NO_TARGET' when false then 'NOT_MET'
    when not coalesce(ya.complete, false) then 'INSUFFICIENT_DATA'
    when ya.pm25_mean <= t.annual_pm25_target then 'MET' else 'NOT_MET' end when 'MET' then true when 'NOT_MET' then false end as annual_met
       from (select p1.campaign_id as campaign_id, p1.city_id as city_id) k
       join campaign c on c.id = k.campaign_id
       left join outcome_target t on t.city_id = k.city_id and t.campaign_id = k.campaign_id
       cross join lateral (select sum(g.expected)::int as expected_days,
      sum(g.observed)::int as observed_days,
      greatest(sum(g.required), 0)::int as required_days,
      coalesce(round(sum(g.observed) * 100.0 / nullif(sum(g.expected), 0), 2), 0)::float8 as percent_complete,
      (bool_and(g.observed >= g.required) and sum(g.observed) >= 0) as complete,
      json_agg(json_build_object('month', to_char(g.m, 'YYYY-MM'), 'expectedCount', g.expected, 'observedCount', g.observed,
        'requiredCount', g.required, 'complete', g.observed >= g.required) order by g.m) as months,
      sum(g.pm25_sum) / nullif(sum(g.observed), 0) as pm25_mean,
      sum(g.heavy)::int as heavy_days
    from (
      select g.m, g.expected,
        greatest(0, g.expected - ((((g.m + interval '1 month')::date - 1) - g.m + 1)
          - case when extract(month from g.m) = 2 then 25 else 27 end))::int as required,
        coalesce(a.observed, 0)::int as observed, a.pm25_sum, coalesce(a.heavy, 0)::int as heavy
      from (select gm::date as m, (least(c.period_end, (gm + interval '1 month')::date - 1) - greatest(c.period_start, gm::date) + 1) as expected
            from generate_series(date_trunc('month', (c.period_start)::timestamp), (c.period_end)::timestamp, interval '1 month') gm) g
      left join (
        -- One range scan of the city's city-wide observations of the range, by month.
        select date_trunc('month', o.observed_on)::date as m, count(*) as observed, sum(o.pm25) as pm25_sum,
          count(*) filter (where (o.pm25 > 150 or o.aqi > 200)) as heavy
        from air_quality_observation o
        where o.city_id = k.city_id and o.station_code is null and o.observed_on between c.period_start and c.period_end
        group by 1
      ) a on a.m = g.m
    ) g) cp
       cross join lateral (select extract(year from c.period_start)::int as year,
         make_date(extract(year from c.period_start)::int, 1, 1) as y_from, make_date(extract(year from c.period_start)::int, 12, 31) as y_to) y
       cross join lateral (select sum(g.expected)::int as expected_days,
      sum(g.observed)::int as observed_days,
      greatest(sum(g.required), 324)::int as required_days,
      coalesce(round(sum(g.observed) * 100.0 / nullif(sum(g.expected), 0), 2), 0)::float8 as percent_complete,
      (bool_and(g.observed >= g.required) and sum(g.observed) >= 324) as complete,
      json_agg(json_build_object('month', to_char(g.m, 'YYYY-MM'), 'expectedCount', g.expected, 'observedCount', g.observed,
        'requiredCount', g.required, 'complete', g.observed >= g.required) order by g.m) as months,
      sum(g.pm25_sum) / nullif(sum(g.observed), 0) as pm25_mean,
      sum(g.heavy)::int as heavy_days
    from (
      select g.m, g.expected,
        greatest(0, g.expected - ((((g.m + interval '1 month')::date - 1) - g.m + 1)
          - case when extract(month from g.m) = 2 then 25 else 27 end))::int as required,
        coalesce(a.observed, 0)::int as observed, a.pm25_sum, coalesce(a.heavy, 0)::int as heavy
      from (select gm::date as m, (least(y.y_to, (gm + interval '1 month')::date - 1) - greatest(y.y_from, gm::date) + 1) as expected
            from generate_series(date_trunc('month', (y.y_from)::timestamp), (y.y_to)::timestamp, interval '1 month') gm) g
      left join (
        -- One range scan of the city's city-wide observations of the range, by month.
        select date_trunc('month', o.observed_on)::date as m, count(*) as observed, sum(o.pm25) as pm25_sum,
          count(*) filter (where (o.pm25 > 150 or o.aqi > 200)) as heavy
        from air_quality_observation o
        where o.city_id = k.city_id and o.station_code is null and o.observed_on between y.y_from and y.y_to
        group by 1
      ) a on a.m = g.m
    ) g) ya) v4), 'null'), '}'), '}'), ',' order by p1.__n) filter (where p1.__n <= 3) || ']', '[]'), '}') from (select t0.*, row_number() over (order by t0.id asc) as __n from outcome_target t0 where t0.city_id = any($1::integer[]) order by t0.id asc limit 4) p1) end from (select true as ok) o
