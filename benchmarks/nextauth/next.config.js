/** @type {import('next').NextConfig} */
module.exports = {
  // This app lives inside another repository: keep Next from looking above this folder.
  outputFileTracingRoot: __dirname,
  turbopack: { root: __dirname },
  poweredByHeader: false,
};
