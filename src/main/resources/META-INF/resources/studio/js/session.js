// Who the caller is, once the shell has asked: the pages read it to show only what the caller's roles allow.
export const session = {
  me: null,
  can(role) {
    return !!(this.me && this.me.roles && this.me.roles.includes(role));
  },
};
