import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { rootConsoleRecord, rootRecord } from './cases.js';
import { onRootItself, ROOT_USER_NAME } from './root-itself.js';
import { incidentRunbook } from './runbook.js';

/**
 * Calls that create an identity, give one a way in, or widen what one may do, by the service
 * that records them. Names are taken from the IAM API reference, the IAM Identity Center admin
 * (`sso`) and identity store (`identitystore`) API references, and the Identity Center
 * directory actions (`sso-directory`, the console's own calls) of the Service Authorization
 * Reference. Calls that only remove or narrow (Delete*, Detach*, Remove*) are not here, except
 * removing a permissions boundary, which widens.
 */
const PERSISTENCE_CALLS: Readonly<Record<string, readonly string[]>> = {
  'iam.amazonaws.com': [
    // Users and groups.
    'CreateUser',
    'UpdateUser',
    'CreateGroup',
    'AddUserToGroup',
    // A user's ways in: password, access keys and other long-lived credentials.
    'CreateLoginProfile',
    'UpdateLoginProfile',
    'CreateAccessKey',
    'UpdateAccessKey',
    'UploadSigningCertificate',
    'UploadSSHPublicKey',
    'CreateServiceSpecificCredential',
    'ResetServiceSpecificCredential',
    // Roles and who may assume them; an instance profile hands a role to EC2.
    'CreateRole',
    'UpdateRole',
    'UpdateAssumeRolePolicy',
    'AddRoleToInstanceProfile',
    // Managed and inline policies, and the boundaries around them.
    'AttachUserPolicy',
    'AttachGroupPolicy',
    'AttachRolePolicy',
    'PutUserPolicy',
    'PutGroupPolicy',
    'PutRolePolicy',
    'CreatePolicy',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
    'PutUserPermissionsBoundary',
    'PutRolePermissionsBoundary',
    'DeleteUserPermissionsBoundary',
    'DeleteRolePermissionsBoundary',
    // Identity providers: whoever holds the provider's keys signs in as any role trusting it.
    'CreateSAMLProvider',
    'UpdateSAMLProvider',
    'CreateOpenIDConnectProvider',
    'UpdateOpenIDConnectProviderThumbprint',
    'AddClientIDToOpenIDConnectProvider',
  ],
  // IAM Identity Center: who gets which permission set in which account.
  'sso.amazonaws.com': [
    'CreateAccountAssignment',
    'CreatePermissionSet',
    'UpdatePermissionSet',
    'ProvisionPermissionSet',
    'PutInlinePolicyToPermissionSet',
    'AttachManagedPolicyToPermissionSet',
    'AttachCustomerManagedPolicyReferenceToPermissionSet',
    'PutPermissionsBoundaryToPermissionSet',
    'DeletePermissionsBoundaryFromPermissionSet',
    'CreateTrustedTokenIssuer',
    'UpdateTrustedTokenIssuer',
  ],
  // Identity Center's directory as the console changes it: users, groups, passwords, the
  // external identity provider and the SCIM tokens that provision users from it.
  'sso-directory.amazonaws.com': [
    'CreateUser',
    'UpdateUser',
    'EnableUser',
    'UpdatePassword',
    'CreateGroup',
    'AddMemberToGroup',
    'CreateExternalIdPConfigurationForDirectory',
    'UpdateExternalIdPConfigurationForDirectory',
    'CreateBearerToken',
  ],
  // The identity store API: the same users and groups, called directly.
  'identitystore.amazonaws.com': [
    'CreateUser',
    'UpdateUser',
    'CreateGroup',
    'CreateGroupMembership',
  ],
};

const PERSISTENCE = new Set(
  Object.entries(PERSISTENCE_CALLS).flatMap(([source, names]) =>
    names.map((name) => `${source} ${name}`),
  ),
);

/**
 * IAM credential calls that name a user, or root itself when they name none. Root's own are
 * other rules' (`root-access-key-created`, `root-credentials-changed`).
 */
const USER_CREDENTIAL_CALLS = new Set([
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'CreateAccessKey',
  'UpdateAccessKey',
  'UploadSigningCertificate',
]);

/** UpdateAccessKey widens only when it makes a key active again. */
const deactivatesKey = (event: TrailEvent): boolean => {
  const status = event.requestParameters?.status;
  return (
    event.eventName === 'UpdateAccessKey' &&
    !(typeof status === 'string' && status.toLowerCase() === 'active')
  );
};

const persists = (event: TrailEvent): boolean => {
  if (!PERSISTENCE.has(`${event.eventSource} ${event.eventName}`)) return false;
  if (event.eventSource !== 'iam.amazonaws.com') return true;
  if (USER_CREDENTIAL_CALLS.has(event.eventName) && onRootItself(event)) return false;
  return !deactivatesKey(event);
};

const iam = (eventName: string, requestParameters: Record<string, unknown> | null = null) =>
  rootRecord({ eventName, requestParameters });

const call = (
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> | null = null,
) => rootRecord({ eventSource, eventName, requestParameters });

const adminPolicy = 'arn:aws:iam::aws:policy/AdministratorAccess';
const trustAnotherAccount = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'sts:AssumeRole',
    },
  ],
});
const instanceArn = 'arn:aws:sso:::instance/ssoins-1111222233334444';
const permissionSetArn = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-1a2b3c4d5e6f7a8b';
const identityStoreId = 'd-1234567890';

export const rootIamPersistence: Rule = {
  id: 'root-iam-persistence',
  title: 'Root creating identities or granting power',
  severity: 'HIGH',
  description:
    "Root created or changed an identity or what it may do: an IAM user, group or role, a user's password or access key, a role's trust policy, a policy attached or written inline, a permissions boundary, a SAML or OIDC identity provider, or an IAM Identity Center user, group, permission set or account assignment. An intruder with root makes such identities to keep access after root's password and MFA are changed. Failed attempts match too.",
  runbook: incidentRunbook(
    'Find what root created or changed: the event below names the user, group, role, policy, provider or permission set. Unless the account owner vouches for it, take it away now: for an IAM user, aws iam list-access-keys --user-name <user> and deactivate every key (aws iam update-access-key --user-name <user> --access-key-id <id> --status Inactive), then aws iam delete-login-profile --user-name <user>; for a role, read who may assume it (aws iam get-role --role-name <role> --query Role.AssumeRolePolicyDocument) and detach what it was given; for an identity provider, aws iam list-saml-providers and list-open-id-connect-providers; for Identity Center, aws sso-admin list-account-assignments --instance-arn <arn> --account-id {account} --permission-set-arn <arn>.',
    'Check what the new identity has done since: aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=Username,AttributeValue=<user or role session>, and the same in the Regions it could reach.',
  ),
  allowlistable: true,
  dedupBy: 'event',
  match: persists,
  tests: () => [
    {
      name: 'IAM user created',
      record: iam('CreateUser', { userName: 'backup-admin' }),
      expected: true,
    },
    {
      name: 'IAM user created through the console',
      record: rootConsoleRecord({
        eventName: 'CreateUser',
        requestParameters: { userName: 'backup-admin' },
      }),
      expected: true,
    },
    {
      name: 'IAM user creation denied by an SCP still counts',
      record: rootRecord({
        eventName: 'CreateUser',
        requestParameters: { userName: 'backup-admin' },
        errorCode: 'AccessDenied',
        errorMessage: 'with an explicit deny in a service control policy',
      }),
      expected: true,
    },
    {
      name: 'password given to an IAM user',
      record: iam('CreateLoginProfile', { userName: 'backup-admin', passwordResetRequired: false }),
      expected: true,
    },
    {
      name: 'access key created for an IAM user',
      record: iam('CreateAccessKey', { userName: 'backup-admin' }),
      expected: true,
    },
    {
      name: "an IAM user's key made active again",
      record: iam('UpdateAccessKey', {
        userName: 'ci-deployer',
        accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
        status: 'Active',
      }),
      expected: true,
    },
    {
      name: 'IAM user added to the administrators group',
      record: iam('AddUserToGroup', { groupName: 'Administrators', userName: 'backup-admin' }),
      expected: true,
    },
    {
      name: 'role created that another account may assume',
      record: iam('CreateRole', {
        roleName: 'OrganizationAccountAccessRole2',
        assumeRolePolicyDocument: trustAnotherAccount,
      }),
      expected: true,
    },
    {
      name: "a role's trust policy rewritten",
      record: iam('UpdateAssumeRolePolicy', {
        roleName: 'deploy',
        policyDocument: trustAnotherAccount,
      }),
      expected: true,
    },
    {
      name: 'AdministratorAccess attached to a role',
      record: iam('AttachRolePolicy', { roleName: 'deploy', policyArn: adminPolicy }),
      expected: true,
    },
    {
      name: 'AdministratorAccess attached to a user',
      record: iam('AttachUserPolicy', { userName: 'backup-admin', policyArn: adminPolicy }),
      expected: true,
    },
    {
      name: 'inline policy written on a user',
      record: iam('PutUserPolicy', {
        userName: 'backup-admin',
        policyName: 'all',
        policyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      }),
      expected: true,
    },
    {
      name: 'a new default version of a managed policy',
      record: iam('CreatePolicyVersion', {
        policyArn: 'arn:aws:iam::111122223333:policy/deploy',
        setAsDefault: true,
      }),
      expected: true,
    },
    {
      name: "a role's permissions boundary removed",
      record: iam('DeleteRolePermissionsBoundary', { roleName: 'deploy' }),
      expected: true,
    },
    {
      name: 'SAML identity provider created',
      record: iam('CreateSAMLProvider', {
        name: 'corporate-idp',
        sAMLMetadataDocument: '<EntityDescriptor/>',
      }),
      expected: true,
    },
    {
      name: 'OIDC identity provider created',
      record: iam('CreateOpenIDConnectProvider', {
        url: 'https://token.actions.githubusercontent.com',
        clientIDList: ['sts.amazonaws.com'],
      }),
      expected: true,
    },
    {
      name: 'Identity Center account assignment created',
      record: call('sso.amazonaws.com', 'CreateAccountAssignment', {
        instanceArn,
        targetId: '444455556666',
        targetType: 'AWS_ACCOUNT',
        permissionSetArn,
        principalType: 'USER',
        principalId: '94482488-3041-7026-18f3-be45837cd0e4',
      }),
      expected: true,
    },
    {
      name: 'Identity Center permission set created',
      record: call('sso.amazonaws.com', 'CreatePermissionSet', {
        instanceArn,
        name: 'BreakGlass',
        sessionDuration: 'PT12H',
      }),
      expected: true,
    },
    {
      name: 'inline policy put on an Identity Center permission set',
      record: call('sso.amazonaws.com', 'PutInlinePolicyToPermissionSet', {
        instanceArn,
        permissionSetArn,
      }),
      expected: true,
    },
    {
      name: 'managed policy attached to an Identity Center permission set',
      record: call('sso.amazonaws.com', 'AttachManagedPolicyToPermissionSet', {
        instanceArn,
        permissionSetArn,
        managedPolicyArn: adminPolicy,
      }),
      expected: true,
    },
    {
      name: 'Identity Center user created in the console',
      record: call('sso-directory.amazonaws.com', 'CreateUser', { userName: 'backup-admin' }),
      expected: true,
    },
    {
      name: 'Identity Center group membership added in the console',
      record: call('sso-directory.amazonaws.com', 'AddMemberToGroup', {
        groupId: '14f8d4a8-e0b1-70d3-1c6f-0a7c3b1e9d2f',
      }),
      expected: true,
    },
    {
      name: 'identity store user created through the API',
      record: call('identitystore.amazonaws.com', 'CreateUser', { identityStoreId }),
      expected: true,
    },
    {
      name: 'identity store group membership created through the API',
      record: call('identitystore.amazonaws.com', 'CreateGroupMembership', {
        identityStoreId,
        groupId: '14f8d4a8-e0b1-70d3-1c6f-0a7c3b1e9d2f',
      }),
      expected: true,
    },
    {
      name: "root's own access key (root-access-key-created's)",
      record: iam('CreateAccessKey'),
      expected: false,
    },
    {
      name: "root's own password created (root-credentials-changed's)",
      record: iam('CreateLoginProfile', { userName: ROOT_USER_NAME }),
      expected: false,
    },
    {
      name: "an IAM user's key deactivated",
      record: iam('UpdateAccessKey', {
        userName: 'ci-deployer',
        accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
        status: 'Inactive',
      }),
      expected: false,
    },
    {
      name: 'IAM user deleted',
      record: iam('DeleteUser', { userName: 'backup-admin' }),
      expected: false,
    },
    {
      name: 'policy detached from a role',
      record: iam('DetachRolePolicy', { roleName: 'deploy', policyArn: adminPolicy }),
      expected: false,
    },
    {
      name: 'service-linked role created (its trust and permissions are AWS-defined)',
      record: iam('CreateServiceLinkedRole', { aWSServiceName: 'guardduty.amazonaws.com' }),
      expected: false,
    },
    {
      name: 'IAM users listed',
      record: rootRecord({ eventName: 'ListUsers', readOnly: true }),
      expected: false,
    },
    {
      name: 'Identity Center account assignment deleted',
      record: call('sso.amazonaws.com', 'DeleteAccountAssignment', {
        instanceArn,
        targetId: '444455556666',
        permissionSetArn,
      }),
      expected: false,
    },
    {
      name: 'identity store users listed',
      record: rootRecord({
        eventSource: 'identitystore.amazonaws.com',
        eventName: 'ListUsers',
        requestParameters: { identityStoreId },
        readOnly: true,
      }),
      expected: false,
    },
    {
      name: 'CreateUser of another service (an Amazon MQ broker user)',
      record: call('mq.amazonaws.com', 'CreateUser', { brokerId: 'b-1234', username: 'app' }),
      expected: false,
    },
  ],
};
