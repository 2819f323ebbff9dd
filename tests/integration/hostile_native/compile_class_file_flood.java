// attack: a 25 KB source whose class files are enormous: each of 8 classes refers to the same 600 string constants of 64 KB, and javac copies every constant a class uses into that class's file (310 MB in all): the class files must fill the compile jail's scratch space, never the host's disk under the build folder
// tests: compile_error
// message: No space left on device

interface K {
    String A0 = "abcdefgh";
    String A1 = A0 + A0;
    String A2 = A1 + A1;
    String A3 = A2 + A2;
    String A4 = A3 + A3;
    String A5 = A4 + A4;
    String A6 = A5 + A5;
    String A7 = A6 + A6;
    String A8 = A7 + A7;
    String A9 = A8 + A8;
    String A10 = A9 + A9;
    String A11 = A10 + A10;
    String A12 = A11 + A11;
    String B = A12 + A11 + A10 + A9 + A8 + A7 + A6 + A5 + A4 + A3 + A2 + A1;
    String aa = B + 0, ab = B + 1, ac = B + 2, ad = B + 3, ae = B + 4, af = B + 5, ag = B + 6, ah = B + 7;
    String ai = B + 8, aj = B + 9, ak = B + 10, al = B + 11, am = B + 12, an = B + 13, ao = B + 14, ap = B + 15;
    String aq = B + 16, ar = B + 17, as = B + 18, at = B + 19, au = B + 20, av = B + 21, aw = B + 22, ax = B + 23;
    String ay = B + 24, az = B + 25, ba = B + 26, bb = B + 27, bc = B + 28, bd = B + 29, be = B + 30, bf = B + 31;
    String bg = B + 32, bh = B + 33, bi = B + 34, bj = B + 35, bk = B + 36, bl = B + 37, bm = B + 38, bn = B + 39;
    String bo = B + 40, bp = B + 41, bq = B + 42, br = B + 43, bs = B + 44, bt = B + 45, bu = B + 46, bv = B + 47;
    String bw = B + 48, bx = B + 49, by = B + 50, bz = B + 51, ca = B + 52, cb = B + 53, cc = B + 54, cd = B + 55;
    String ce = B + 56, cf = B + 57, cg = B + 58, ch = B + 59, ci = B + 60, cj = B + 61, ck = B + 62, cl = B + 63;
    String cm = B + 64, cn = B + 65, co = B + 66, cp = B + 67, cq = B + 68, cr = B + 69, cs = B + 70, ct = B + 71;
    String cu = B + 72, cv = B + 73, cw = B + 74, cx = B + 75, cy = B + 76, cz = B + 77, da = B + 78, db = B + 79;
    String dc = B + 80, dd = B + 81, de = B + 82, df = B + 83, dg = B + 84, dh = B + 85, di = B + 86, dj = B + 87;
    String dk = B + 88, dl = B + 89, dm = B + 90, dn = B + 91, dp = B + 92, dq = B + 93, dr = B + 94, ds = B + 95;
    String dt = B + 96, du = B + 97, dv = B + 98, dw = B + 99, dx = B + 100, dy = B + 101, dz = B + 102, ea = B + 103;
    String eb = B + 104, ec = B + 105, ed = B + 106, ee = B + 107, ef = B + 108, eg = B + 109, eh = B + 110, ei = B + 111;
    String ej = B + 112, ek = B + 113, el = B + 114, em = B + 115, en = B + 116, eo = B + 117, ep = B + 118, eq = B + 119;
    String er = B + 120, es = B + 121, et = B + 122, eu = B + 123, ev = B + 124, ew = B + 125, ex = B + 126, ey = B + 127;
    String ez = B + 128, fa = B + 129, fb = B + 130, fc = B + 131, fd = B + 132, fe = B + 133, ff = B + 134, fg = B + 135;
    String fh = B + 136, fi = B + 137, fj = B + 138, fk = B + 139, fl = B + 140, fm = B + 141, fn = B + 142, fo = B + 143;
    String fp = B + 144, fq = B + 145, fr = B + 146, fs = B + 147, ft = B + 148, fu = B + 149, fv = B + 150, fw = B + 151;
    String fx = B + 152, fy = B + 153, fz = B + 154, ga = B + 155, gb = B + 156, gc = B + 157, gd = B + 158, ge = B + 159;
    String gf = B + 160, gg = B + 161, gh = B + 162, gi = B + 163, gj = B + 164, gk = B + 165, gl = B + 166, gm = B + 167;
    String gn = B + 168, go = B + 169, gp = B + 170, gq = B + 171, gr = B + 172, gs = B + 173, gt = B + 174, gu = B + 175;
    String gv = B + 176, gw = B + 177, gx = B + 178, gy = B + 179, gz = B + 180, ha = B + 181, hb = B + 182, hc = B + 183;
    String hd = B + 184, he = B + 185, hf = B + 186, hg = B + 187, hh = B + 188, hi = B + 189, hj = B + 190, hk = B + 191;
    String hl = B + 192, hm = B + 193, hn = B + 194, ho = B + 195, hp = B + 196, hq = B + 197, hr = B + 198, hs = B + 199;
    String ht = B + 200, hu = B + 201, hv = B + 202, hw = B + 203, hx = B + 204, hy = B + 205, hz = B + 206, ia = B + 207;
    String ib = B + 208, ic = B + 209, id = B + 210, ie = B + 211, ig = B + 212, ih = B + 213, ii = B + 214, ij = B + 215;
    String ik = B + 216, il = B + 217, im = B + 218, in = B + 219, io = B + 220, ip = B + 221, iq = B + 222, ir = B + 223;
    String is = B + 224, it = B + 225, iu = B + 226, iv = B + 227, iw = B + 228, ix = B + 229, iy = B + 230, iz = B + 231;
    String ja = B + 232, jb = B + 233, jc = B + 234, jd = B + 235, je = B + 236, jf = B + 237, jg = B + 238, jh = B + 239;
    String ji = B + 240, jj = B + 241, jk = B + 242, jl = B + 243, jm = B + 244, jn = B + 245, jo = B + 246, jp = B + 247;
    String jq = B + 248, jr = B + 249, js = B + 250, jt = B + 251, ju = B + 252, jv = B + 253, jw = B + 254, jx = B + 255;
    String jy = B + 256, jz = B + 257, ka = B + 258, kb = B + 259, kc = B + 260, kd = B + 261, ke = B + 262, kf = B + 263;
    String kg = B + 264, kh = B + 265, ki = B + 266, kj = B + 267, kk = B + 268, kl = B + 269, km = B + 270, kn = B + 271;
    String ko = B + 272, kp = B + 273, kq = B + 274, kr = B + 275, ks = B + 276, kt = B + 277, ku = B + 278, kv = B + 279;
    String kw = B + 280, kx = B + 281, ky = B + 282, kz = B + 283, la = B + 284, lb = B + 285, lc = B + 286, ld = B + 287;
    String le = B + 288, lf = B + 289, lg = B + 290, lh = B + 291, li = B + 292, lj = B + 293, lk = B + 294, ll = B + 295;
    String lm = B + 296, ln = B + 297, lo = B + 298, lp = B + 299, lq = B + 300, lr = B + 301, ls = B + 302, lt = B + 303;
    String lu = B + 304, lv = B + 305, lw = B + 306, lx = B + 307, ly = B + 308, lz = B + 309, ma = B + 310, mb = B + 311;
    String mc = B + 312, md = B + 313, me = B + 314, mf = B + 315, mg = B + 316, mh = B + 317, mi = B + 318, mj = B + 319;
    String mk = B + 320, ml = B + 321, mm = B + 322, mn = B + 323, mo = B + 324, mp = B + 325, mq = B + 326, mr = B + 327;
    String ms = B + 328, mt = B + 329, mu = B + 330, mv = B + 331, mw = B + 332, mx = B + 333, my = B + 334, mz = B + 335;
    String na = B + 336, nb = B + 337, nc = B + 338, nd = B + 339, ne = B + 340, nf = B + 341, ng = B + 342, nh = B + 343;
    String ni = B + 344, nj = B + 345, nk = B + 346, nl = B + 347, nm = B + 348, nn = B + 349, no = B + 350, np = B + 351;
    String nq = B + 352, nr = B + 353, ns = B + 354, nt = B + 355, nu = B + 356, nv = B + 357, nw = B + 358, nx = B + 359;
    String ny = B + 360, nz = B + 361, oa = B + 362, ob = B + 363, oc = B + 364, od = B + 365, oe = B + 366, of = B + 367;
    String og = B + 368, oh = B + 369, oi = B + 370, oj = B + 371, ok = B + 372, ol = B + 373, om = B + 374, on = B + 375;
    String oo = B + 376, op = B + 377, oq = B + 378, or = B + 379, os = B + 380, ot = B + 381, ou = B + 382, ov = B + 383;
    String ow = B + 384, ox = B + 385, oy = B + 386, oz = B + 387, pa = B + 388, pb = B + 389, pc = B + 390, pd = B + 391;
    String pe = B + 392, pf = B + 393, pg = B + 394, ph = B + 395, pi = B + 396, pj = B + 397, pk = B + 398, pl = B + 399;
    String pm = B + 400, pn = B + 401, po = B + 402, pp = B + 403, pq = B + 404, pr = B + 405, ps = B + 406, pt = B + 407;
    String pu = B + 408, pv = B + 409, pw = B + 410, px = B + 411, py = B + 412, pz = B + 413, qa = B + 414, qb = B + 415;
    String qc = B + 416, qd = B + 417, qe = B + 418, qf = B + 419, qg = B + 420, qh = B + 421, qi = B + 422, qj = B + 423;
    String qk = B + 424, ql = B + 425, qm = B + 426, qn = B + 427, qo = B + 428, qp = B + 429, qq = B + 430, qr = B + 431;
    String qs = B + 432, qt = B + 433, qu = B + 434, qv = B + 435, qw = B + 436, qx = B + 437, qy = B + 438, qz = B + 439;
    String ra = B + 440, rb = B + 441, rc = B + 442, rd = B + 443, re = B + 444, rf = B + 445, rg = B + 446, rh = B + 447;
    String ri = B + 448, rj = B + 449, rk = B + 450, rl = B + 451, rm = B + 452, rn = B + 453, ro = B + 454, rp = B + 455;
    String rq = B + 456, rr = B + 457, rs = B + 458, rt = B + 459, ru = B + 460, rv = B + 461, rw = B + 462, rx = B + 463;
    String ry = B + 464, rz = B + 465, sa = B + 466, sb = B + 467, sc = B + 468, sd = B + 469, se = B + 470, sf = B + 471;
    String sg = B + 472, sh = B + 473, si = B + 474, sj = B + 475, sk = B + 476, sl = B + 477, sm = B + 478, sn = B + 479;
    String so = B + 480, sp = B + 481, sq = B + 482, sr = B + 483, ss = B + 484, st = B + 485, su = B + 486, sv = B + 487;
    String sw = B + 488, sx = B + 489, sy = B + 490, sz = B + 491, ta = B + 492, tb = B + 493, tc = B + 494, td = B + 495;
    String te = B + 496, tf = B + 497, tg = B + 498, th = B + 499, ti = B + 500, tj = B + 501, tk = B + 502, tl = B + 503;
    String tm = B + 504, tn = B + 505, to = B + 506, tp = B + 507, tq = B + 508, tr = B + 509, ts = B + 510, tt = B + 511;
    String tu = B + 512, tv = B + 513, tw = B + 514, tx = B + 515, ty = B + 516, tz = B + 517, ua = B + 518, ub = B + 519;
    String uc = B + 520, ud = B + 521, ue = B + 522, uf = B + 523, ug = B + 524, uh = B + 525, ui = B + 526, uj = B + 527;
    String uk = B + 528, ul = B + 529, um = B + 530, un = B + 531, uo = B + 532, up = B + 533, uq = B + 534, ur = B + 535;
    String us = B + 536, ut = B + 537, uu = B + 538, uv = B + 539, uw = B + 540, ux = B + 541, uy = B + 542, uz = B + 543;
    String va = B + 544, vb = B + 545, vc = B + 546, vd = B + 547, ve = B + 548, vf = B + 549, vg = B + 550, vh = B + 551;
    String vi = B + 552, vj = B + 553, vk = B + 554, vl = B + 555, vm = B + 556, vn = B + 557, vo = B + 558, vp = B + 559;
    String vq = B + 560, vr = B + 561, vs = B + 562, vt = B + 563, vu = B + 564, vv = B + 565, vw = B + 566, vx = B + 567;
    String vy = B + 568, vz = B + 569, wa = B + 570, wb = B + 571, wc = B + 572, wd = B + 573, we = B + 574, wf = B + 575;
    String wg = B + 576, wh = B + 577, wi = B + 578, wj = B + 579, wk = B + 580, wl = B + 581, wm = B + 582, wn = B + 583;
    String wo = B + 584, wp = B + 585, wq = B + 586, wr = B + 587, ws = B + 588, wt = B + 589, wu = B + 590, wv = B + 591;
    String ww = B + 592, wx = B + 593, wy = B + 594, wz = B + 595, xa = B + 596, xb = B + 597, xc = B + 598, xd = B + 599;
}

class C0 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C1 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C2 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C3 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C4 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C5 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C6 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

class C7 implements K {
    Object[] x = {
        aa,ab,ac,ad,ae,af,ag,ah,ai,aj,ak,al,am,an,ao,ap,aq,ar,as,at,au,av,aw,ax,ay,az,ba,bb,bc,bd,be,bf,
        bg,bh,bi,bj,bk,bl,bm,bn,bo,bp,bq,br,bs,bt,bu,bv,bw,bx,by,bz,ca,cb,cc,cd,ce,cf,cg,ch,ci,cj,ck,cl,
        cm,cn,co,cp,cq,cr,cs,ct,cu,cv,cw,cx,cy,cz,da,db,dc,dd,de,df,dg,dh,di,dj,dk,dl,dm,dn,dp,dq,dr,ds,
        dt,du,dv,dw,dx,dy,dz,ea,eb,ec,ed,ee,ef,eg,eh,ei,ej,ek,el,em,en,eo,ep,eq,er,es,et,eu,ev,ew,ex,ey,
        ez,fa,fb,fc,fd,fe,ff,fg,fh,fi,fj,fk,fl,fm,fn,fo,fp,fq,fr,fs,ft,fu,fv,fw,fx,fy,fz,ga,gb,gc,gd,ge,
        gf,gg,gh,gi,gj,gk,gl,gm,gn,go,gp,gq,gr,gs,gt,gu,gv,gw,gx,gy,gz,ha,hb,hc,hd,he,hf,hg,hh,hi,hj,hk,
        hl,hm,hn,ho,hp,hq,hr,hs,ht,hu,hv,hw,hx,hy,hz,ia,ib,ic,id,ie,ig,ih,ii,ij,ik,il,im,in,io,ip,iq,ir,
        is,it,iu,iv,iw,ix,iy,iz,ja,jb,jc,jd,je,jf,jg,jh,ji,jj,jk,jl,jm,jn,jo,jp,jq,jr,js,jt,ju,jv,jw,jx,
        jy,jz,ka,kb,kc,kd,ke,kf,kg,kh,ki,kj,kk,kl,km,kn,ko,kp,kq,kr,ks,kt,ku,kv,kw,kx,ky,kz,la,lb,lc,ld,
        le,lf,lg,lh,li,lj,lk,ll,lm,ln,lo,lp,lq,lr,ls,lt,lu,lv,lw,lx,ly,lz,ma,mb,mc,md,me,mf,mg,mh,mi,mj,
        mk,ml,mm,mn,mo,mp,mq,mr,ms,mt,mu,mv,mw,mx,my,mz,na,nb,nc,nd,ne,nf,ng,nh,ni,nj,nk,nl,nm,nn,no,np,
        nq,nr,ns,nt,nu,nv,nw,nx,ny,nz,oa,ob,oc,od,oe,of,og,oh,oi,oj,ok,ol,om,on,oo,op,oq,or,os,ot,ou,ov,
        ow,ox,oy,oz,pa,pb,pc,pd,pe,pf,pg,ph,pi,pj,pk,pl,pm,pn,po,pp,pq,pr,ps,pt,pu,pv,pw,px,py,pz,qa,qb,
        qc,qd,qe,qf,qg,qh,qi,qj,qk,ql,qm,qn,qo,qp,qq,qr,qs,qt,qu,qv,qw,qx,qy,qz,ra,rb,rc,rd,re,rf,rg,rh,
        ri,rj,rk,rl,rm,rn,ro,rp,rq,rr,rs,rt,ru,rv,rw,rx,ry,rz,sa,sb,sc,sd,se,sf,sg,sh,si,sj,sk,sl,sm,sn,
        so,sp,sq,sr,ss,st,su,sv,sw,sx,sy,sz,ta,tb,tc,td,te,tf,tg,th,ti,tj,tk,tl,tm,tn,to,tp,tq,tr,ts,tt,
        tu,tv,tw,tx,ty,tz,ua,ub,uc,ud,ue,uf,ug,uh,ui,uj,uk,ul,um,un,uo,up,uq,ur,us,ut,uu,uv,uw,ux,uy,uz,
        va,vb,vc,vd,ve,vf,vg,vh,vi,vj,vk,vl,vm,vn,vo,vp,vq,vr,vs,vt,vu,vv,vw,vx,vy,vz,wa,wb,wc,wd,we,wf,
        wg,wh,wi,wj,wk,wl,wm,wn,wo,wp,wq,wr,ws,wt,wu,wv,ww,wx,wy,wz,xa,xb,xc,xd,
    };
}

public class Main {
    public static void main(String[] args) {
        System.out.println(new C0().x.length);
    }
}
