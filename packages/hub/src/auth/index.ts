export { requireGrant, grantAllows, isGranted } from './require-grant.js';
export { hasRoles } from './has-roles.js';
export { parseRolesDocument } from './roles-document.js';
