import { literal } from '../../engine/root-usage-predicate.js';

/** Where a trail writes and what the table projects over. */
export interface TrailTable {
  /** `database.table` or `table`: letters, digits and underscores. */
  table: string;
  bucket: string;
  /** The trail's S3 key prefix, without the trailing slash; empty for none. */
  prefix: string;
  /** The organization id for an organization trail (`AWSLogs/o-xxxx/ACCOUNT/...`). */
  organizationId?: string;
  accounts: readonly string[];
  regions: readonly string[];
  /** The first day partition projection covers, `YYYY-MM-DD`. */
  since: string;
}

export const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** Backquoted for DDL (Hive), double-quoted for queries (Trino). */
export const quotedName = (name: string, quote: '`' | '"'): string =>
  name
    .split('.')
    .map((part) => `${quote}${part}${quote}`)
    .join('.');

/**
 * `CREATE EXTERNAL TABLE` for CloudTrail log files read in place, with partition projection on
 * account, Region and day: no crawler, no `MSCK REPAIR`, and a query's WHERE on the partition
 * columns reads only those folders. The columns are AWS's documented CloudTrail table, with
 * `assumedRoot` added where centralized-root sessions record it.
 */
export const createTableSql = (trail: TrailTable): string => {
  const root = `s3://${trail.bucket}/${trail.prefix === '' ? '' : `${trail.prefix}/`}AWSLogs/${trail.organizationId === undefined ? '' : `${trail.organizationId}/`}`;
  const properties: [string, string][] = [
    ['projection.enabled', 'true'],
    ['projection.account.type', 'enum'],
    ['projection.account.values', trail.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', trail.regions.join(',')],
    ['projection.day.type', 'date'],
    ['projection.day.format', 'yyyy/MM/dd'],
    ['projection.day.interval', '1'],
    ['projection.day.interval.unit', 'DAYS'],
    ['projection.day.range', `${trail.since.replaceAll('-', '/')},NOW`],
    ['storage.location.template', `${root}\${account}/CloudTrail/\${region}/\${day}`],
  ];
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${quotedName(trail.table, '`')} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING,
    principalid: STRING,
    arn: STRING,
    accountid: STRING,
    invokedby: STRING,
    accesskeyid: STRING,
    username: STRING,
    assumedroot: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      sourceidentity: STRING,
      assumedroot: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  managementevent STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  eventcategory STRING,
  sessioncredentialfromconsole STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
COMMENT 'CloudTrail log files, read in place (root-monitor athena ddl)'
PARTITIONED BY (account STRING, region STRING, \`day\` STRING)
ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${literal(root)}
TBLPROPERTIES (
${properties.map(([key, value]) => `  ${literal(key)} = ${literal(value)}`).join(',\n')}
)
`;
};
