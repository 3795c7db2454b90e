// Maps the tsconfig path aliases (@shardline/*) for jest, so they are declared once.
const { compilerOptions } = require('../tsconfig.json');
const path = require('path');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, '..', target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
