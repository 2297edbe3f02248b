import { Navigate, useParams } from 'react-router';

/**
 * A resident who signs in from a place's scan page comes back through the portal (sign-in sends residents only
 * to portal addresses) and on to that page for the one-tap check-in.
 */
export default function PortalPlaceRedirect() {
  const { code = '' } = useParams();
  return <Navigate to={`/p/${encodeURIComponent(code)}`} replace />;
}
