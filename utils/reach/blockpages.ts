/**
 * Known block-page redirect targets (ARCHITECTURE.md "Reachability", outcome `http_blockpage`).
 *
 * Source: OONI's blocking fingerprints, fingerprints_http.csv at commit 4ad5abef3e46be30a7fe343dac9295980b790ef6,
 * https://github.com/ooni/blocking-fingerprints/blob/4ad5abef3e46be30a7fe343dac9295980b790ef6/fingerprints_http.csv
 * Kept: the `ooni.*` rows whose location_found is `header.location` (the only form usable on a redirect target: we
 * never see response bodies or other headers). Left out: captive portals and bill-payment notices, which are not
 * censorship (ooni.my_1 wifi.uitm.edu.my, ooni.ph_0 surfalert.globe.com.ph, ooni.ph_1 cube.sunbroadband.ph,
 * ooni.ru_79 unblock.mts.ru, ooni.th_8 110.164.252.137/wpwarn, ooni.us_7 gateway.wifast.com, ooni.vn_0
 * ezxcess.antlabs.com), and exact duplicates (ooni.ru_62 = ooni.ru_2, ooni.ru_65 = ooni.ru_64 over http).
 * The citizenlab (`cl.*`) and Censored Planet (`cp.*`) rows of the same file largely restate these and are not copied.
 *
 * `pattern` is OONI's value; `match` is OONI's pattern_type. We compare without the scheme (a block page can be served
 * over either) and after URL normalisation, so `http://block.rt.ru` matches `block.rt.ru/…` but not `block.rt.ru.evil.test`.
 */
export interface BlockPageFingerprint {
  /** OONI fingerprint name. */
  id: string;
  pattern: string;
  match: 'prefix' | 'full';
  /** OONI expected_countries (ZZ: anywhere). */
  countries: string[];
}

const fp = (id: string, match: 'prefix' | 'full', pattern: string, countries: string): BlockPageFingerprint => ({
  id, pattern, match, countries: countries.split(','),
});

export const BLOCKPAGE_FINGERPRINTS: readonly BlockPageFingerprint[] = [
  fp('ooni.ae_1', 'prefix', 'http://www.bluecoat.com/notify-NotifyUser1', 'AE'),
  fp('ooni.ae_2', 'prefix', 'http://lighthouse.du.ae', 'AE'),
  fp('ooni.au_1', 'prefix', 'https://go.telstra.com.au/broadbandprotect/networkprotectionstandard', 'AU'),
  fp('ooni.by_0', 'prefix', 'https://www.a1.by/mininfo/', 'BY'),
  fp('ooni.by_1', 'prefix', 'http://82.209.230.23', 'BY'),
  fp('ooni.by_2', 'prefix', 'https://internet.mts.by/blocked/', 'BY'),
  fp('ooni.by_3', 'prefix', 'https://vk.com/blank.php?rkn=', 'BY,RU'),
  fp('ooni.ch_0', 'prefix', 'https://192.168.88.1/sgerror.php', 'CH'),
  fp('ooni.de_3', 'prefix', 'https://hotspot.vodafone.de/access_denied.html', 'DE'),
  fp('ooni.eg_0', 'prefix', 'http://notification.etisalat.com.eg/etisalat/notification/redirectionactions.html?', 'EG'),
  fp('ooni.gb_0', 'prefix', 'http://assets.o2.co.uk/18plusaccess/', 'GB'),
  fp('ooni.gb_1', 'prefix', 'http://www.vodafone.co.uk/restricted-content', 'GB'),
  fp('ooni.gb_2', 'prefix', 'https://www.giffgaff.com/mobile/over18', 'GB'),
  fp('ooni.gb_3', 'prefix', 'http://block.cf.sky.com', 'GB'),
  fp('ooni.gb_5', 'prefix', 'http://blocked.nb.sky.com', 'GB'),
  fp('ooni.gb_6', 'full', 'http://ee.co.uk/help/my-account/corporate-content-lock', 'GB'),
  fp('ooni.gb_7', 'prefix', 'http://Filter7external.schoolsbroadband.co.uk/access', 'GB'),
  fp('ooni.gb_8', 'prefix', 'https://account.nowtv.com/broadband-buddy/blocked-pages/', 'GB'),
  fp('ooni.gb_9', 'full', 'www.vodafone.co.uk/contentcontrolpage/vfb-category-blocklist.html', 'GB'),
  fp('ooni.gb_10', 'full', 'http://three.co.uk/mobilebroadband_restricted', 'GB'),
  fp('ooni.gr_1', 'prefix', 'http://1.2.3.50/ups/no_access', 'GR,ZZ'),
  fp('ooni.id_0', 'prefix', 'http://internet-positif.org', 'ID'),
  fp('ooni.id_1', 'prefix', 'http://internetpositif.uzone.id', 'ID'),
  fp('ooni.id_2', 'prefix', 'http://mercusuar.uzone.id/', 'ID'),
  fp('ooni.id_17', 'prefix', 'http://filter.citra.net.id', 'ID'),
  fp('ooni.id_33', 'prefix', 'http://block.myrepublic.co.id', 'ID'),
  fp('ooni.id_34', 'prefix', 'https://internetbaik.telkomsel.com/block?', 'ID'),
  fp('ooni.id_35', 'prefix', 'https://blockpage.xl.co.id', 'ID'),
  fp('ooni.id_36', 'prefix', 'http://restricted.tri.co.id', 'ID'),
  fp('ooni.ie_0', 'prefix', 'https://m.three.ie/adult-content', 'IE'),
  fp('ooni.kr_2', 'full', 'http://www.warning.or.kr', 'KR'),
  fp('ooni.kr_6', 'prefix', 'http://cleanweb1.uplus.co.kr/kren', 'KR'),
  fp('ooni.kg_0', 'full', 'http://homeline.kg/access/blockpage.html', 'KG'),
  fp('ooni.kw_0', 'prefix', 'http://restrict.kw.zain.com', 'KW'),
  fp('ooni.mm_0', 'prefix', 'http://notice.myanmarnet.com', 'MM'),
  fp('ooni.no_0', 'full', 'http://block-no.altibox.net/', 'NO'),
  fp('ooni.np_0', 'prefix', 'http://blockdomain.worldlink.com.np', 'NP'),
  fp('ooni.pl_0', 'full', 'http://www.finanse.mf.gov.pl/inne-podatki/podatek-od-gier-gry-hazardowe/komunikat', 'PL'),
  fp('ooni.pl_1', 'full', 'https://www.finanse.mf.gov.pl/inne-podatki/podatek-od-gier-gry-hazardowe/komunikat', 'PL'),
  fp('ooni.pl_8', 'prefix', 'http://80.50.144.142/UserCheck/PortalMain', 'PL'),
  fp('ooni.pt_2', 'full', 'http://mobilegen.vodafone.pt/denied/dn', 'PT'),
  fp('ooni.qa_0', 'full', 'http://www.vodafone.qa/alu.cfm', 'QA'),
  fp('ooni.ru_2', 'prefix', 'http://erblock.crimea.com/', 'RU'),
  fp('ooni.ru_6', 'prefix', 'http://warning.rt.ru', 'RU'),
  fp('ooni.ru_7', 'prefix', 'http://block.orionnet.ru', 'RU'),
  fp('ooni.ru_9', 'prefix', 'http://site-blocked.ru', 'RU'),
  fp('ooni.ru_10', 'prefix', 'http://block.intersat.ru', 'RU'),
  fp('ooni.ru_11', 'prefix', 'http://zapret.2090000.ru', 'RU'),
  fp('ooni.ru_12', 'prefix', '195.146.65.20/block.html', 'RU'),
  fp('ooni.ru_13', 'prefix', 'http://stat.profintel.ru/block/blacklist/', 'RU'),
  fp('ooni.ru_14', 'prefix', 'http://blockpage.kmv.ru', 'RU'),
  fp('ooni.ru_15', 'prefix', 'http://blacklist.planeta.tc', 'RU'),
  fp('ooni.ru_16', 'prefix', 'http://89.185.75.227/451/1f50893f80d6830d62765ffad7721742.html', 'RU'),
  fp('ooni.ru_17', 'prefix', 'http://blocked.mgts.ru', 'RU'),
  fp('ooni.ru_18', 'prefix', 'https://block.mgts.ru', 'RU'),
  fp('ooni.ru_19', 'prefix', 'http://62.112.121.68', 'RU'),
  fp('ooni.ru_20', 'prefix', 'http://block.kf.mgts.ru', 'RU'),
  fp('ooni.ru_22', 'prefix', 'http://rinet.ru/blocked/index.html', 'RU'),
  fp('ooni.ru_23', 'prefix', 'http://block.naukanet.ru', 'RU'),
  fp('ooni.ru_24', 'prefix', 'https://zapret-info.tis-dialog.ru', 'RU'),
  fp('ooni.ru_25', 'prefix', 'http://block.rt.ru', 'RU'),
  fp('ooni.ru_26', 'prefix', 'http://t2blocked.com', 'RU'),
  fp('ooni.ru_27', 'prefix', 'http://217.169.82.130/', 'RU'),
  fp('ooni.ru_29', 'prefix', 'http://fz139.ttk.ru', 'RU'),
  fp('ooni.ru_31', 'prefix', 'http://kaspnet.ru/sites/default/files/0.html', 'RU'),
  fp('ooni.ru_33', 'prefix', 'http://195.94.233.66?UrlRedir=', 'RU'),
  fp('ooni.ru_34', 'prefix', 'http://zapret.westcall.net/', 'RU'),
  fp('ooni.ru_36', 'prefix', 'http://211.ru/149.html', 'RU'),
  fp('ooni.ru_40', 'prefix', 'http://blocked.as20764.net/blocked.php', 'RU'),
  fp('ooni.ru_42', 'prefix', 'http://block.ecotelecom.ru', 'RU'),
  fp('ooni.ru_43', 'prefix', 'http://blocked.akado.ru', 'RU'),
  fp('ooni.ru_46', 'prefix', 'http://rkn.pakt.ru', 'RU'),
  fp('ooni.ru_51', 'prefix', 'http://www.skynet-kazan.com/_blocked.htm', 'RU'),
  fp('ooni.ru_52', 'prefix', 'block.ip.center.rt.ru', 'RU'),
  fp('ooni.ru_53', 'prefix', 'http://block.k-telecom.org', 'RU'),
  fp('ooni.ru_54', 'prefix', 'http://forbidden.podryad.tv', 'RU'),
  fp('ooni.ru_55', 'prefix', 'http://blocked.netbynet.ru', 'RU'),
  fp('ooni.ru_56', 'prefix', 'http://blocked.ti.ru', 'RU'),
  fp('ooni.ru_57', 'prefix', 'https://blocked.tinkoff.ru', 'RU'),
  fp('ooni.ru_58', 'prefix', 'http://blocked.ugmk-telecom.ru', 'RU'),
  fp('ooni.ru_59', 'prefix', 'http://block.yaltanet.ru', 'RU'),
  fp('ooni.ru_60', 'prefix', 'http://deny.cifra1.ru', 'RU'),
  fp('ooni.ru_64', 'prefix', 'https://forbidden.yota.ru', 'RU'),
  fp('ooni.ru_67', 'prefix', 'https://cacti.telincom.ru/blocked.html', 'RU'),
  fp('ooni.ru_69', 'prefix', 'https://you-shall-not-pass.is74.ru', 'RU'),
  fp('ooni.ru_71', 'prefix', 'http://sv-en.ru/block.php', 'RU'),
  fp('ooni.ru_74', 'prefix', 'http://m.megafonpro.ru', 'RU'),
  fp('ooni.ru_77', 'prefix', 'https://www.ufanet.ru/blocking.html', 'RU'),
  fp('ooni.ru_81', 'prefix', 'http://95.213.254.253', 'RU'),
  fp('ooni.ru_82', 'prefix', 'http://block.runnet.ru', 'RU'),
  fp('ooni.sa_0', 'prefix', 'http://notify.bluecoat.com/notify-Notify', 'SA'),
  fp('ooni.sd_0', 'full', 'http://196.1.211.6:8080/alert/', 'SD'),
  fp('ooni.sd_1', 'prefix', 'http://196.29.164.27/ntc/ntcblock.html', 'SD'),
  fp('ooni.sg_0', 'full', 'http://www.starhub.com:80/personal/broadband/value-added-services/safesurf/mda-blocked.html', 'SG'),
  fp('ooni.th_1', 'prefix', 'http://103.86.50.16', 'TH'),
  fp('ooni.th_2', 'prefix', 'http://103.208.24.21', 'TH'),
  fp('ooni.th_4', 'prefix', 'http://prohibit.ais-idc.com', 'TH'),
  fp('ooni.tr_3', 'prefix', 'http://bilgi.turktelekom.com.tr/guvenli_internet_uyari', 'TR'),
  fp('ooni.ua_1', 'prefix', 'http://blocked.triolan.com.ua', 'UA'),
  fp('ooni.us_2', 'prefix', 'http://filter.esu9.org:8080/webadmin/deny/index.php', 'US'),
  fp('ooni.us_3', 'prefix', 'http://reporter.dublinschools.net/block/restricted.html', 'US'),
  fp('ooni.us_4', 'prefix', 'http://ibossreporter.edutech.org/block/bp.html', 'US'),
  fp('ooni.us_5', 'prefix', 'http://alert.scansafe.net/alert/process', 'US'),
  fp('ooni.us_6', 'prefix', 'http://184.168.221.96:6080/php/urlblock.php', 'US'),
  fp('ooni.us_8', 'prefix', 'https://mpswebfilterwashbu.mpls.k12.mn.us:6082/php/uid.php', 'US'),
  fp('ooni.uz_0', 'prefix', 'http://reestr.mitc.uz/', 'UZ'),
  fp('ooni.zz_1', 'prefix', 'http://www.webscanningservice.com/WebServicesAlertPage/WebURLAlert.aspx', 'ZZ'),
];

/** `host[:port]/path?query` with the host lowercased and the default port dropped; null for a non-URL. */
export function schemelessUrl(url: string): string | null {
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.host}${u.pathname}${u.search}`;
  } catch {
    return null;
  }
}

const compiled = BLOCKPAGE_FINGERPRINTS.map((f) => {
  const norm = schemelessUrl(f.pattern);
  if (norm === null) throw new Error(`bad block-page fingerprint ${f.id}`);
  return { f, norm };
});

/** The fingerprint that `url` (typically a redirect target) matches, if any. */
export function matchBlockPage(url: string): BlockPageFingerprint | null {
  const target = schemelessUrl(url);
  if (target === null) return null;
  for (const { f, norm } of compiled) {
    if (f.match === 'full' ? target === norm : target.startsWith(norm)) return f;
  }
  return null;
}
