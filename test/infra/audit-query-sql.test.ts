import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/shared/config.js';
import { loadAuditQueries } from '../../functions/shared/detection/audit-queries.js';
import { parseQueryFile } from '../../functions/shared/detection/query-file.js';
import { namedQueryDescription, renderNamedQuerySql } from '../../infra/audit-query-sql.js';

const CONFIG = parseConfig({
  zones: [
    { name: 'ehr-db', cidrs: ['10.10.0.0/24'], tags: ['ephi'] },
    { name: 'guest-wifi', cidrs: ['10.99.0.0/16'], tags: ['untrusted'] },
  ],
  policy: { default: 'allow', rules: [{ from: 'guest-wifi', to: 'ehr-db', action: 'deny' }] },
});

const file = (sql: string) =>
  parseQueryFile('q.sql', `-- id: q\n-- title: A query\n-- description: d\n${sql}`);

describe('Function: renderNamedQuerySql', () => {
  it('binds the configuration and leaves the period to the auditor as ordered ? parameters', () => {
    // Act
    const rendered = renderNamedQuerySql(
      file(
        "SELECT * FROM flows f JOIN :zone_tags ON zone_tags.zone = f.dst_zone\nWHERE dt BETWEEN :period_dt_start AND :period_dt_end AND start_time >= :period_start AND x = ':not_a_param'",
      ),
      CONFIG,
    );

    // Assess
    expect(rendered.parameters).toEqual(['period_dt_start', 'period_dt_end', 'period_start']);
    expect(rendered.sql).toContain("CAST('ehr-db' AS VARCHAR), CAST('ephi' AS VARCHAR)");
    expect(rendered.sql).toContain('WHERE dt BETWEEN ? AND ? AND start_time >= ?');
    expect(rendered.sql).toContain("x = ':not_a_param'");
  });

  it('wraps a list parameter of IN in parentheses', () => {
    // Act
    const rendered = renderNamedQuerySql(
      file('SELECT 1 FROM flows WHERE src_ip IN :sources'),
      CONFIG,
    );

    // Assess
    expect(rendered.sql).toBe('SELECT 1 FROM flows WHERE src_ip IN (?)');
    expect(rendered.parameters).toEqual(['sources']);
  });

  it.each(loadAuditQueries().map((q) => [q.header.id, q] as const))(
    'renders queries/audit/%s with no placeholder left',
    (_, query) => {
      // Act
      const rendered = renderNamedQuerySql(query, CONFIG);

      // Assess
      expect(rendered.sql).not.toMatch(/(^|[^:]):[a-z_]+/m);
      expect(rendered.parameters.length).toBe((rendered.sql.match(/\?/g) ?? []).length);
    },
  );
});

describe('Function: namedQueryDescription', () => {
  it('names each ? with the format the auditor types', () => {
    // Prepare
    const query = file('SELECT 1 WHERE dt >= :period_dt_start AND t < :period_end');

    // Act
    const text = namedQueryDescription(query, renderNamedQuerySql(query, CONFIG));

    // Assess
    expect(text).toBe(
      "A query. Parameters in order: period_dt_start ('YYYY-MM-DD'), period_end (TIMESTAMP 'YYYY-MM-DD HH:MM:SS').",
    );
  });
});
