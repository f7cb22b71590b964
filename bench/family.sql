-- bench/family.sql: the learning-family title (criteria/gia-dinh-hoc-tap.crit) and the
-- learning-citizen recognition it depends on (C2c), written as one SQL query over the
-- registry and the yearly records. Portable between SQLite and DuckDB; {Y} and {PROV} are
-- replaced by the evaluated year and the province before running. Result: eligible
-- households and recognised households of the year (hoctap's engine must give the same).
WITH places AS (
  SELECT household_id, village_code,
         ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY from_year DESC) AS rn
  FROM household_places WHERE prov = {PROV} AND from_year <= {Y}
), hh AS (
  SELECT h.id, h.code FROM households h JOIN places p ON p.household_id = h.id AND p.rn = 1
  WHERE h.prov = {PROV} AND (h.closed_year IS NULL OR h.closed_year > {Y})
), members AS (
  SELECT p.id, p.household_id, {Y} - p.birth_year AS age, y.literate, y.in_school,
         CASE y.school_result WHEN 'tot' THEN 3 WHEN 'kha' THEN 2 WHEN 'dat' THEN 1 WHEN 'chua-dat' THEN 0 END AS res,
         CASE y.conduct WHEN 'tot' THEN 3 WHEN 'kha' THEN 2 WHEN 'dat' THEN 1 WHEN 'chua-dat' THEN 0 END AS cond,
         y.topics_completed AS topics
  FROM person_years y
  JOIN persons p ON p.prov = y.prov AND p.id = y.person_id
  JOIN hh ON hh.id = p.household_id
  WHERE y.prov = {PROV} AND y.year = {Y}
), cit AS (
  SELECT r.person_id,
    (CASE WHEN instr(r.x, ';i1=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i1=') + 4), 1, instr(substr(r.x, instr(r.x, ';i1=') + 4), ';') - 1) AS DOUBLE) END) AS i1,
    (CASE WHEN instr(r.x, ';i2=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i2=') + 4), 1, instr(substr(r.x, instr(r.x, ';i2=') + 4), ';') - 1) AS DOUBLE) END) AS i2,
    (CASE WHEN instr(r.x, ';i3=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i3=') + 4), 1, instr(substr(r.x, instr(r.x, ';i3=') + 4), ';') - 1) AS DOUBLE) END) AS i3,
    (CASE WHEN instr(r.x, ';i4=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i4=') + 4), 1, instr(substr(r.x, instr(r.x, ';i4=') + 4), ';') - 1) AS DOUBLE) END) AS i4,
    (CASE WHEN instr(r.x, ';i5=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i5=') + 4), 1, instr(substr(r.x, instr(r.x, ';i5=') + 4), ';') - 1) AS DOUBLE) END) AS i5,
    (CASE WHEN instr(r.x, ';i6=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i6=') + 4), 1, instr(substr(r.x, instr(r.x, ';i6=') + 4), ';') - 1) AS DOUBLE) END) AS i6,
    (CASE WHEN instr(r.x, ';i7=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i7=') + 4), 1, instr(substr(r.x, instr(r.x, ';i7=') + 4), ';') - 1) AS DOUBLE) END) AS i7,
    (CASE WHEN instr(r.x, ';i8=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i8=') + 4), 1, instr(substr(r.x, instr(r.x, ';i8=') + 4), ';') - 1) AS DOUBLE) END) AS i8,
    (CASE WHEN instr(r.x, ';i9=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i9=') + 4), 1, instr(substr(r.x, instr(r.x, ';i9=') + 4), ';') - 1) AS DOUBLE) END) AS i9,
    (CASE WHEN instr(r.x, ';i10=') = 0 THEN NULL ELSE CAST(substr(substr(r.x, instr(r.x, ';i10=') + 5), 1, instr(substr(r.x, instr(r.x, ';i10=') + 5), ';') - 1) AS DOUBLE) END) AS i10
  FROM (SELECT CAST(entity AS BIGINT) AS person_id, ';' || vals || ';' AS x FROM records
        WHERE prov = {PROV} AND year = {Y} AND title = 'cong-dan-hoc-tap'
          AND registered_on IS NOT NULL) r
), cit_rec AS (
  SELECT c.person_id FROM cit c JOIN members m ON m.id = c.person_id
  WHERE m.age >= 15 AND c.i1 >= 5 AND c.i2 >= 5 AND c.i3 >= 5 AND c.i4 >= 5 AND c.i5 >= 5 AND c.i6 >= 5 AND c.i7 >= 5 AND c.i8 >= 5 AND c.i9 >= 5 AND c.i10 >= 5 AND c.i1 + c.i2 + c.i3 + c.i4 + c.i5 + c.i6 + c.i7 + c.i8 + c.i9 + c.i10 >= 80
), agg_m AS (
  SELECT m.household_id AS id,
    SUM(CASE WHEN m.age BETWEEN 6 AND 14 AND m.in_school = 0 THEN 1 ELSE 0 END) AS c1a_bad,
    SUM(CASE WHEN m.age BETWEEN 6 AND 17 AND m.in_school = 1
              AND NOT (COALESCE(m.res, -1) >= 1 AND COALESCE(m.cond, -1) >= 2) THEN 1 ELSE 0 END)
      AS c1b_bad,
    SUM(CASE WHEN m.age BETWEEN 19 AND 60 AND m.literate = 0 THEN 1 ELSE 0 END) AS c2a_bad,
    SUM(CASE WHEN m.age BETWEEN 19 AND 60 AND m.topics < 1 THEN 1 ELSE 0 END) AS c2b_bad,
    SUM(CASE WHEN cr.person_id IS NOT NULL THEN 1 ELSE 0 END) AS c2c_n
  FROM members m LEFT JOIN cit_rec cr ON cr.person_id = m.id
  GROUP BY m.household_id
), agg AS ( -- every household, with or without members (an empty household passes vacuously)
  SELECT id, MAX(code) AS code, SUM(c1a_bad) AS c1a_bad, SUM(c1b_bad) AS c1b_bad,
         SUM(c2a_bad) AS c2a_bad, SUM(c2b_bad) AS c2b_bad, SUM(c2c_n) AS c2c_n
  FROM (SELECT id, code, 0 AS c1a_bad, 0 AS c1b_bad, 0 AS c2a_bad, 0 AS c2b_bad, 0 AS c2c_n FROM hh
        UNION ALL
        SELECT id, NULL, c1a_bad, c1b_bad, c2a_bad, c2b_bad, c2c_n FROM agg_m) u
  GROUP BY id
  HAVING MAX(code) IS NOT NULL
), fam AS (
  SELECT entity AS code, registered_on, ';' || vals || ';' AS x FROM records
  WHERE prov = {PROV} AND year = {Y} AND title = 'gia-dinh-hoc-tap'
), scored AS (
  SELECT a.code,
    CASE WHEN f.registered_on IS NOT NULL THEN 1 ELSE 0 END AS reg,
    CASE WHEN COALESCE(a.c1a_bad, 0) = 0 THEN 10 ELSE 0 END AS c1a,
    CASE WHEN COALESCE(a.c1b_bad, 0) = 0 THEN 10 ELSE 0 END AS c1b,
    CASE WHEN COALESCE(a.c2a_bad, 0) = 0 THEN 10 ELSE 0 END AS c2a,
    CASE WHEN COALESCE(a.c2b_bad, 0) = 0 THEN 10 ELSE 0 END AS c2b,
    CASE WHEN COALESCE(a.c2c_n, 0) > 0 THEN 10 ELSE 0 END AS c2c,
    CASE WHEN (CASE WHEN instr(f.x, ';C1c=') = 0 THEN NULL ELSE CAST(substr(substr(f.x, instr(f.x, ';C1c=') + 5), 1, instr(substr(f.x, instr(f.x, ';C1c=') + 5), ';') - 1) AS DOUBLE) END) = 1 THEN 10 ELSE 0 END AS c1c,
    CASE WHEN (CASE WHEN instr(f.x, ';C3a=') = 0 THEN NULL ELSE CAST(substr(substr(f.x, instr(f.x, ';C3a=') + 5), 1, instr(substr(f.x, instr(f.x, ';C3a=') + 5), ';') - 1) AS DOUBLE) END) = 1 THEN 10 ELSE 0 END AS c3a,
    CASE WHEN (CASE WHEN instr(f.x, ';C3b=') = 0 THEN NULL ELSE CAST(substr(substr(f.x, instr(f.x, ';C3b=') + 5), 1, instr(substr(f.x, instr(f.x, ';C3b=') + 5), ';') - 1) AS DOUBLE) END) = 1 THEN 10 ELSE 0 END AS c3b,
    CASE WHEN (CASE WHEN instr(f.x, ';C4a=') = 0 THEN NULL ELSE CAST(substr(substr(f.x, instr(f.x, ';C4a=') + 5), 1, instr(substr(f.x, instr(f.x, ';C4a=') + 5), ';') - 1) AS DOUBLE) END) = 1 THEN 10 ELSE 0 END AS c4a,
    CASE WHEN (CASE WHEN instr(f.x, ';C4b=') = 0 THEN NULL ELSE CAST(substr(substr(f.x, instr(f.x, ';C4b=') + 5), 1, instr(substr(f.x, instr(f.x, ';C4b=') + 5), ';') - 1) AS DOUBLE) END) = 1 THEN 10 ELSE 0 END AS c4b
  FROM agg a LEFT JOIN fam f ON f.code = a.code
)
SELECT COUNT(*) AS eligible,
  SUM(CASE WHEN reg = 1 AND c1a + c1b + c1c + c2a + c2b + c2c + c3a + c3b + c4a + c4b >= 80
            AND c1a + c1b + c1c >= 20 AND c2a + c2b + c2c >= 20 THEN 1 ELSE 0 END) AS recognised
FROM scored
