/* The zhipu-kg explorer's texts in both languages, its legend glyphs, and the one DOM helper
   every part of it builds with: children are text nodes or elements, never markup. */
(function () {
  "use strict";

  const I18N = {
    zh: {
      search: "搜索实体:中文或英文名、别名",
      sizeBy: "节点大小",
      degree: "度中心性",
      betweenness: "介数中心性",
      betweennessEstimated: "介数中心性(估计值)",
      pagerank: "PageRank",
      ranking: "中心性排名",
      otherLanguage: "English",
      legend: "图例与类别筛选",
      all: "全选",
      none: "全不选",
      path: "路径",
      from: "起点实体",
      to: "终点实体",
      find: "查找最短路径",
      details: "详情",
      asOf: "截至日期",
      allDates: "全部时间",
      timeline: "时间线",
      hint: "点击节点或边查看详情;在上方搜索框输入名称定位实体。",
      facts: "属性",
      events: "相关事实",
      relations: "关系与相邻实体",
      evidence: "原文引语",
      sources: (n) => n + " 个来源支持",
      curated: "整理者添加,原文无对应引语",
      draft: "草稿提议,未经审阅",
      className: "类别",
      aliases: "别名",
      date: "时间",
      amount: "金额",
      relation: "关系",
      notFound: "找不到实体:",
      didYouMean: "你是不是要找:",
      noneClose: "没有相近的名称。",
      articleWords: "原文",
      translation: "英译(整理者翻译)",
      rankingTitle: "中心性排名",
      sampled: (k) => "估计值:节点超过 500 个时,介数中心性从 " + k + " 个随机抽取的源点算出(精确计算的代价为节点数 × 边数)。",
      shown: "显示节点",
      focusNotice: "局部视图:只显示所选实体周围的节点。",
      members: "数量",
      offsets: "字符位置",
      quoted: "摘录",
      cited: "引用",
      showEdges: "在图中选中",
      resetView: "重置视图",
      exportPng: "导出 PNG",
      exportSvg: "导出 SVG",
    },
    en: {
      search: "Search entities: Chinese or English name, alias",
      sizeBy: "Node size",
      degree: "Degree",
      betweenness: "Betweenness",
      betweennessEstimated: "Betweenness (estimated)",
      pagerank: "PageRank",
      ranking: "Centrality ranking",
      otherLanguage: "中文",
      legend: "Legend and class filter",
      all: "All",
      none: "None",
      path: "Path",
      from: "From entity",
      to: "To entity",
      find: "Find shortest path",
      details: "Details",
      asOf: "As of",
      allDates: "All dates",
      timeline: "Timeline",
      hint: "Click a node or an edge for details; type a name in the search box to find an entity.",
      facts: "Attributes",
      events: "Facts",
      relations: "Relations and neighbours",
      evidence: "Quoted evidence",
      sources: (n) => "supported by " + n + (n === 1 ? " source" : " sources"),
      curated: "Added by the curators; no quote in the article",
      draft: "a draft proposal, not reviewed yet",
      className: "Class",
      aliases: "Aliases",
      date: "Date",
      amount: "Amount",
      relation: "Relation",
      notFound: "No entity called: ",
      didYouMean: "Did you mean: ",
      noneClose: "No name comes close.",
      articleWords: "The article's words (Chinese)",
      translation: "English translation (the curators')",
      rankingTitle: "Centrality ranking",
      sampled: (k) => "Estimated: above 500 nodes, betweenness is computed from " + k + " sampled sources (the exact one costs nodes × edges).",
      shown: "Nodes shown",
      focusNotice: "Focused view: only the neighbourhood of the chosen entity is drawn.",
      members: "Count",
      offsets: "characters",
      quoted: "quoted",
      cited: "cited",
      showEdges: "Select in graph",
      resetView: "Reset view",
      exportPng: "Export PNG",
      exportSvg: "Export SVG",
    },
  };

  const GLYPHS = { dot: "●", star: "★", triangle: "▲", square: "■", hexagon: "⬢", diamond: "◆", triangleDown: "▼", box: "▭" };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  window.KgText = { I18N: I18N, GLYPHS: GLYPHS, el: el };
})();
