/** @deprecated YAML with positions lives in src/schema/yaml.ts; kept for the modules of other branches. */
export {
  parseYaml,
  type Position,
  type YamlPath,
  type YamlSource,
  type YamlSyntaxProblem,
} from '../schema/yaml.js';
