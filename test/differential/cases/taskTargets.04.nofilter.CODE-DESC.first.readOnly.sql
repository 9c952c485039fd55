with recursive issuers as (
    select k.id, k.issuer_id, k.revoked_at, k.expires_at, 0 as depth from api_key k where k.secret_hash = $1
    union all
    select p.id, p.issuer_id, p.revoked_at, p.expires_at, i.depth + 1 from api_key p join issuers i on p.id = i.issuer_id where i.depth < 32),
  k as (select (k.role = 'MINISTRY' or (k.province_id is null and k.city_id is null)) as national, k.id, k.role
  from issuers i join api_key k on k.id = i.id where i.depth = 0 and not exists (select 1 from issuers i where i.revoked_at is not null or i.expires_at <= now()))
select o.ok, case when o.ok then (select concat('{"totalCount":', (select count(*) from task_target t0)::text, ',"pageInfo":', concat('{"hasNextPage":', (count(*) > 3)::text, ',"hasPreviousPage":', 'false', ',"startCursor":', coalesce('"' || (min(translate(encode(convert_to('[' || to_json(p1.code)::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_')) filter (where p1.__n = 1)) || '"', 'null'), ',"endCursor":', coalesce('"' || ((array_agg(translate(encode(convert_to('[' || to_json(p1.code)::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_') order by p1.__n desc) filter (where p1.__n <= 3))[1]) || '"', 'null'), '}'), ',"edges":', coalesce('[' || string_agg(concat('{"cursor":', coalesce('"' || (translate(encode(convert_to('[' || to_json(p1.code)::text || ',' || p1.id || ']', 'UTF8'), 'base64'), E'+/=\n', '-_')) || '"', 'null'), ',"node":', concat('{"id":', coalesce('"' || (p1.id) || '"', 'null'), ',"createdAt":', coalesce('"' || (to_char(p1.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || '"', 'null'), ',"updatedAt":', coalesce('"' || (to_char(p1.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) || '"', 'null'), ',"createdBy":', coalesce(to_json(p1.created_by)::text, 'null'), ',"updatedBy":', coalesce(to_json(p1.updated_by)::text, 'null'), ',"code":', coalesce(to_json(p1.code)::text, 'null'), ',"nameZh":', coalesce(to_json(p1.name_zh)::text, 'null'), ',"nameEn":', coalesce(to_json(p1.name_en)::text, 'null'), ',"comparator":', coalesce('"' || (p1.comparator) || '"', 'null'), ',"quantity":', coalesce((p1.quantity::float8)::text, 'null'), ',"unit":', coalesce(to_json(p1.unit)::text, 'null'), ',"deadline":', coalesce('"' || (to_char(p1.deadline, 'YYYY-MM-DD')) || '"', 'null'), ',"deadlineNote":', coalesce(to_json(p1.deadline_note)::text, 'null'), ',"scope":', coalesce('"' || (p1.scope) || '"', 'null'), ',"origin":', coalesce('"' || (p1.origin) || '"', 'null'), ',"campaign":', coalesce((select concat('{"id":', coalesce('"' || (r2.id) || '"', 'null'), '}') from campaign r2 where r2.id = p1.campaign_id), 'null'), ',"province":', coalesce((select concat('{"id":', coalesce('"' || (r3.id) || '"', 'null'), '}') from province r3 where r3.id = p1.province_id), 'null'), ',"city":', coalesce((select concat('{"id":', coalesce('"' || (r4.id) || '"', 'null'), '}') from city r4 where r4.id = p1.city_id), 'null'), ',"progress":', coalesce((select concat('{"achieved":', coalesce(to_json(v5.achieved)::text, 'null'), ',"countedProjects":', coalesce(to_json(v5.counted)::text, 'null'), ',"percent":', coalesce(to_json(case when (v5.comparator = 'DONE' or v5.quantity is null) or v5.quantity <= 0 then null else floor(v5.achieved / v5.quantity * 10000 + 0.5) / 100 end)::text, 'null'), ',"met":', coalesce(to_json(case when (v5.comparator = 'DONE' or v5.quantity is null) then v5.counted >= 1
        when v5.comparator = 'AT_LEAST' then v5.achieved >= v5.quantity
        when v5.comparator = 'MORE_THAN' then v5.achieved > v5.quantity
        when v5.comparator = 'AT_MOST' then v5.achieved <= v5.quantity
        else false end)::text, 'null'), '}') from (select count(p.id)::int as counted, (case when t.code in ('TANGSHAN_SHUICAO_RAIL_VOLUME') then (select coalesce(sum(f.tonnes), 0) from freight_record f where (f.city_id = t.city_id
    and f.railway = case t.code when 'TANGSHAN_SHUICAO_RAIL_VOLUME' then '水曹铁路' end
    and f.month >= (select to_char(k.period_start, 'YYYY-MM') from campaign k where k.id = t.campaign_id)
    and f.month <= to_char(t.deadline, 'YYYY-MM')))
  when t.code in ('COAL_BOILERS_ELIMINATED', 'GAS_GENERATORS_ELIMINATED') then coalesce(sum((select count(*) from combustion_unit u
    where u.elimination_project_id = p.id and u.status = 'ELIMINATED' and u.eliminated_on <= t.deadline
      and case t.code when 'COAL_BOILERS_ELIMINATED' then u.kind = 'BOILER' and u.fuel = 'COAL' when 'GAS_GENERATORS_ELIMINATED' then u.kind = 'GAS_PRODUCER' else false end)), 0)
  when t.code in ('AGRI_COAL_FACILITIES') then coalesce(sum((select count(*) from agricultural_coal_facility af
    where af.project_id = p.id and af.city_id = p.city_id and af.status = 'REPLACED' and af.replaced_on <= t.deadline)), 0)
  when t.code in ('COAL_HOUSEHOLDS') then coalesce(sum((select coalesce(sum(hc.households), 0) from household_conversion hc
    where hc.project_id = p.id and hc.converted_on <= coalesce((select hs.starts_on from heating_season hs where hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id), t.deadline)
      and hc.converted_on > (coalesce((select hs.starts_on from heating_season hs where hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id), t.deadline) - interval '1 year')::date)), 0)
  else case t.unit
    when 'household' then coalesce(sum(p.households), 0)
    when 'unit' then coalesce(sum(p.units), 0)
    when 'tonne' then coalesce(sum(p.capacity_tonnes), 0)
    when 'enterprise' then count(distinct p.enterprise_id) + count(p.id) filter (where p.enterprise_id is null)
    else count(p.id)
  end end)::float8 as achieved, t.comparator, t.quantity::float8 as quantity
    from task_target t left join retrofit_project p on p.task_target_id = t.id and (p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline
    and t.code not in ('TANGSHAN_SHUICAO_RAIL_VOLUME')
    and (t.code not in ('STEEL_ULTRA_LOW_CAPACITY')
      or exists (select 1 from enterprise pe where pe.id = p.enterprise_id and pe.ultra_low_emission_publicised_on <= t.deadline)))
    where t.id = p1.id group by t.id) v5), 'null'), '}'), '}'), ',' order by p1.__n) filter (where p1.__n <= 3) || ']', '[]'), '}') from (select t0.*, row_number() over (order by t0.code desc, t0.id desc) as __n from task_target t0 order by t0.code desc, t0.id desc limit 4) p1) end, (select national from k), (select id from k), (select role from k) from (select coalesce((select national from k), false) and true as ok) o
