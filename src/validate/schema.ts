/**
 * @deprecated The generic schema helpers live in src/schema/ (fields, formats, did-you-mean);
 * this re-export keeps the modules of other branches compiling until the lead switches them.
 */
export { isEmail, isPhone, parseMailbox } from '../schema/formats.js';
export {
  check,
  checkFields,
  pathName,
  report,
  type Field,
  type SchemaContext,
  type Spec,
} from '../schema/fields.js';
