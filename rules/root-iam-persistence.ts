import type { Rule } from '../src/engine/rule.js';
import type { TrailEvent } from '../src/intake/trail-event.js';
import { ignores, matches } from './case-table.js';
import { callsTo, DENIED_BY_SCP, rootIamCall as iam, READ_ONLY, THROUGH_CONSOLE } from './cases.js';
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

const sso = callsTo('sso.amazonaws.com');
const ssoDirectory = callsTo('sso-directory.amazonaws.com');
const identityStore = callsTo('identitystore.amazonaws.com');

const newUser = 'backup-admin';

/** An IAM user's access key made active or inactive. */
const userKeyMade = (status: string) =>
  iam('UpdateAccessKey', { userName: 'ci-deployer', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status });

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
const groupId = '14f8d4a8-e0b1-70d3-1c6f-0a7c3b1e9d2f';
/** Which permission set a principal gets in which account. */
const assignment = { instanceArn, targetId: '444455556666', permissionSetArn };

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
    ...matches({
      'IAM user created': iam('CreateUser', { userName: newUser }),
      'IAM user created through the console': iam(
        'CreateUser',
        { userName: newUser },
        THROUGH_CONSOLE,
      ),
      'IAM user creation denied by an SCP still counts': iam(
        'CreateUser',
        { userName: newUser },
        DENIED_BY_SCP,
      ),
      'password given to an IAM user': iam('CreateLoginProfile', {
        userName: newUser,
        passwordResetRequired: false,
      }),
      'access key created for an IAM user': iam('CreateAccessKey', { userName: newUser }),
      "an IAM user's key made active again": userKeyMade('Active'),
      'IAM user added to the administrators group': iam('AddUserToGroup', {
        groupName: 'Administrators',
        userName: newUser,
      }),
      'role created that another account may assume': iam('CreateRole', {
        roleName: 'OrganizationAccountAccessRole2',
        assumeRolePolicyDocument: trustAnotherAccount,
      }),
      "a role's trust policy rewritten": iam('UpdateAssumeRolePolicy', {
        roleName: 'deploy',
        policyDocument: trustAnotherAccount,
      }),
      'AdministratorAccess attached to a role': iam('AttachRolePolicy', {
        roleName: 'deploy',
        policyArn: adminPolicy,
      }),
      'AdministratorAccess attached to a user': iam('AttachUserPolicy', {
        userName: newUser,
        policyArn: adminPolicy,
      }),
      'inline policy written on a user': iam('PutUserPolicy', {
        userName: newUser,
        policyName: 'all',
        policyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
      }),
      'a new default version of a managed policy': iam('CreatePolicyVersion', {
        policyArn: 'arn:aws:iam::111122223333:policy/deploy',
        setAsDefault: true,
      }),
      "a role's permissions boundary removed": iam('DeleteRolePermissionsBoundary', {
        roleName: 'deploy',
      }),
      'SAML identity provider created': iam('CreateSAMLProvider', {
        name: 'corporate-idp',
        sAMLMetadataDocument: '<EntityDescriptor/>',
      }),
      'OIDC identity provider created': iam('CreateOpenIDConnectProvider', {
        url: 'https://token.actions.githubusercontent.com',
        clientIDList: ['sts.amazonaws.com'],
      }),
      'Identity Center account assignment created': sso('CreateAccountAssignment', {
        ...assignment,
        targetType: 'AWS_ACCOUNT',
        principalType: 'USER',
        principalId: '94482488-3041-7026-18f3-be45837cd0e4',
      }),
      'Identity Center permission set created': sso('CreatePermissionSet', {
        instanceArn,
        name: 'BreakGlass',
        sessionDuration: 'PT12H',
      }),
      'inline policy put on an Identity Center permission set': sso(
        'PutInlinePolicyToPermissionSet',
        { instanceArn, permissionSetArn },
      ),
      'managed policy attached to an Identity Center permission set': sso(
        'AttachManagedPolicyToPermissionSet',
        { instanceArn, permissionSetArn, managedPolicyArn: adminPolicy },
      ),
      'Identity Center user created in the console': ssoDirectory('CreateUser', {
        userName: newUser,
      }),
      'Identity Center group membership added in the console': ssoDirectory('AddMemberToGroup', {
        groupId,
      }),
      'identity store user created through the API': identityStore('CreateUser', {
        identityStoreId,
      }),
      'identity store group membership created through the API': identityStore(
        'CreateGroupMembership',
        { identityStoreId, groupId },
      ),
    }),
    ...ignores({
      "root's own access key (root-access-key-created's)": iam('CreateAccessKey'),
      "root's own password created (root-credentials-changed's)": iam('CreateLoginProfile', {
        userName: ROOT_USER_NAME,
      }),
      "an IAM user's key deactivated": userKeyMade('Inactive'),
      'IAM user deleted': iam('DeleteUser', { userName: newUser }),
      'policy detached from a role': iam('DetachRolePolicy', {
        roleName: 'deploy',
        policyArn: adminPolicy,
      }),
      'service-linked role created (its trust and permissions are AWS-defined)': iam(
        'CreateServiceLinkedRole',
        { aWSServiceName: 'guardduty.amazonaws.com' },
      ),
      'IAM users listed': iam('ListUsers', null, READ_ONLY),
      'Identity Center account assignment deleted': sso('DeleteAccountAssignment', assignment),
      'identity store users listed': identityStore('ListUsers', { identityStoreId }, READ_ONLY),
      'CreateUser of another service (an Amazon MQ broker user)': callsTo('mq.amazonaws.com')(
        'CreateUser',
        { brokerId: 'b-1234', username: 'app' },
      ),
    }),
  ],
};
