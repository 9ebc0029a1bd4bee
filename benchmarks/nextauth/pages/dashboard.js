// Protected page, rendered on the server: signed out → redirect to the sign-in page.
import { getServerSession } from "next-auth/next";
import { authOptions } from "../lib/auth";

export async function getServerSideProps({ req, res }) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) {
    return {
      redirect: { destination: "/api/auth/signin?callbackUrl=%2Fdashboard", permanent: false },
    };
  }
  const { name = null, email = null, id = null, numberKey = null } = session.user ?? {};
  return { props: { user: { name, email, id, numberKey } } };
}

export default function Dashboard({ user }) {
  return (
    <main>
      <h1>Dashboard</h1>
      <p>Signed in as {user.name}</p>
      <dl>
        <dt>name</dt>
        <dd data-testid="name">{user.name}</dd>
        <dt>email</dt>
        <dd data-testid="email">{user.email}</dd>
        <dt>id</dt>
        <dd data-testid="id">{user.id}</dd>
        <dt>numberKey</dt>
        <dd data-testid="number-key">{user.numberKey}</dd>
      </dl>
      <p>
        <a href="/api/auth/signout">Sign out</a>
      </p>
    </main>
  );
}
