SELECT
  eventversion,
  useridentity.type,
  useridentity.principalid,
  useridentity.arn,
  useridentity.accountid,
  useridentity.invokedby,
  useridentity.accesskeyid,
  useridentity.username,
  useridentity.assumedroot,
  useridentity.sessioncontext.assumedroot,
  useridentity.sessioncontext.attributes.mfaauthenticated,
  useridentity.sessioncontext.attributes.creationdate,
  useridentity.sessioncontext.sessionissuer.type,
  useridentity.sessioncontext.sessionissuer.arn,
  useridentity.sessioncontext.sessionissuer.username,
  eventtime,
  eventsource,
  eventname,
  awsregion,
  sourceipaddress,
  useragent,
  errorcode,
  errormessage,
  requestparameters,
  responseelements,
  additionaleventdata,
  requestid,
  eventid,
  readonly,
  eventtype,
  managementevent,
  recipientaccountid,
  eventcategory,
  sessioncredentialfromconsole
FROM "security"."cloudtrail_org"
WHERE "day" BETWEEN '2026/09/01' AND '2026/09/30'
  AND account IN ('111122223333')
  AND region IN ('us-east-1', 'eu-west-1')
  AND ((useridentity.type = 'Root'
    AND (useridentity.invokedby IS NULL OR useridentity.invokedby = '' OR useridentity.invokedby IN ('signin.amazonaws.com', 'console.amazonaws.com'))
    AND (eventtype IS NULL OR eventtype <> 'AwsServiceEvent'))
  OR (eventsource = 'sts.amazonaws.com'
    AND eventname = 'AssumeRoot')
  OR (eventsource = 'account.amazonaws.com'
    AND eventname IN ('StartPrimaryEmailUpdate', 'AcceptPrimaryEmailUpdate', 'PutAlternateContact', 'DeleteAlternateContact', 'PutContactInformation')
    AND (json_extract_scalar(requestparameters, '$.accountId') <> '' AND (recipientaccountid IS NULL OR recipientaccountid = '' OR json_extract_scalar(requestparameters, '$.accountId') <> recipientaccountid)))
  OR (eventsource = 'iam.amazonaws.com'
    AND eventname IN ('EnableOrganizationsRootCredentialsManagement', 'EnableOrganizationsRootSessions', 'DisableOrganizationsRootCredentialsManagement', 'DisableOrganizationsRootSessions')))
ORDER BY eventtime, eventid
