// next-auth v4 configuration for the benchmark peer app. It mirrors the leptos-auth demo:
// one credentials provider (email + password, bcrypt cost 10), JWT sessions, and callbacks
// that add `id` and `numberKey` to `session.user`.
import CredentialsProvider from "next-auth/providers/credentials";
import bcrypt from "bcryptjs";

// The one user. Its id has the shape of the demo's (32 hex characters). The password hash is
// computed once, when this module is loaded, never per request.
const USER = {
  id: "6265e4c8a1f04b7d9c3e2a5f10b8d7e4",
  name: "Bench",
  email: "bench@example.com",
  passwordHash: bcrypt.hashSync("a benchmark password", 10),
};

// Compared against for unknown emails, so that they cost the same bcrypt time as known ones.
const DUMMY_HASH = bcrypt.hashSync("not the password of any user", 10);

// A per-user number, stable across sign-ins: the sum of the bytes of the user id, mod 1000
// (the demo's `number_key`).
function numberKey(userId) {
  let sum = 0;
  for (const byte of Buffer.from(String(userId), "utf8")) sum += byte;
  return sum % 1000;
}

export const authOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const email = String(credentials?.email ?? "").trim().toLowerCase();
        const password = String(credentials?.password ?? "");
        const known = email === USER.email;
        const ok = await bcrypt.compare(password, known ? USER.passwordHash : DUMMY_HASH);
        if (!known || !ok) return null;
        return { id: USER.id, name: USER.name, email: USER.email };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // `user` is only present on sign-in.
      if (user) token.numberKey = numberKey(user.id);
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        session.user.id = token.sub;
        if (token.numberKey !== undefined) session.user.numberKey = token.numberKey;
      }
      return session;
    },
  },
};
